"""Admin for stakeholder profiles."""

from django.contrib import admin

from gcm_portal.audit import record_audit
from reviews.models import ReviewMembership

from .models import StakeholderProfile


def can_see_accessibility_needs(user) -> bool:
    """Accessibility needs are health-adjacent data: only superusers and review secretariats see them."""
    return (
        user.is_superuser
        or ReviewMembership.objects.filter(user=user, role=ReviewMembership.Role.SECRETARIAT).exists()
    )


@admin.register(StakeholderProfile)
class StakeholderProfileAdmin(admin.ModelAdmin):
    list_display = ("full_name", "stakeholder_group", "country", "gender", "preferred_language", "created_at")
    list_filter = ("stakeholder_group", "country", "gender", "preferred_language")
    search_fields = ("full_name", "user__email", "organization__name", "organization_name")
    list_select_related = ("stakeholder_group", "organization")
    raw_id_fields = ("user", "organization")
    readonly_fields = ("terms_accepted_at", "public_listing_consent_at", "created_at", "updated_at")
    date_hierarchy = "created_at"

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        if not can_see_accessibility_needs(request.user):
            excluded.append("accessibility_needs")
        return excluded

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Field names only: the audit log outlives the person's data (see stakeholders.services).
        record_audit(
            actor=request.user,
            action="profile.admin_update" if change else "profile.admin_create",
            obj=obj.user,
            after={"changed_fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        user = obj.user
        super().delete_model(request, obj)
        record_audit(actor=request.user, action="profile.admin_delete", obj=user)

    def delete_queryset(self, request, queryset):
        users = [profile.user for profile in queryset.select_related("user")]
        super().delete_queryset(request, queryset)
        for user in users:
            record_audit(actor=request.user, action="profile.admin_delete", obj=user)
