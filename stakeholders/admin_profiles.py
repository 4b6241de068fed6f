"""Admin for stakeholder profiles, and where staff confirm that a person represents their organization."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gcm_portal.audit import record_audit
from reviews.models import ReviewMembership

from . import services
from .models import StakeholderProfile


def can_see_accessibility_needs(user) -> bool:
    """Accessibility needs are health-adjacent data: only superusers and review secretariats see them."""
    return (
        user.is_superuser
        or ReviewMembership.objects.filter(user=user, role=ReviewMembership.Role.SECRETARIAT).exists()
    )


class OrganizationConfirmedFilter(admin.SimpleListFilter):
    title = _("organization confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Confirmed")), ("no", _("Waiting for confirmation"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(organization__isnull=False, organization_confirmed_at__isnull=False)
        if self.value() == "no":
            # Only a listed organization can be confirmed: a typed name waits for staff to pick one.
            return queryset.filter(organization__isnull=False, organization_confirmed_at__isnull=True)
        return queryset


def _run_on_each(modeladmin, request, queryset, service, done_message) -> None:
    done = 0
    for profile in queryset.select_related("organization"):
        try:
            service(actor=request.user, profile=profile)
        except (ValidationError, PermissionDenied) as exc:
            reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            modeladmin.message_user(request, f"{profile}: {' '.join(reasons)}", messages.WARNING)
        else:
            done += 1
    modeladmin.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)


@admin.action(description=_("Confirm that they represent their organization"), permissions=["change"])
def confirm_organization(modeladmin, request, queryset):
    _run_on_each(
        modeladmin,
        request,
        queryset,
        services.confirm_organization_membership,
        lambda n: ngettext("%(count)d membership confirmed.", "%(count)d memberships confirmed.", n),
    )


@admin.action(description=_("Withdraw the confirmation of their organization"), permissions=["change"])
def revoke_organization(modeladmin, request, queryset):
    _run_on_each(
        modeladmin,
        request,
        queryset,
        services.revoke_organization_membership,
        lambda n: ngettext("%(count)d confirmation withdrawn.", "%(count)d confirmations withdrawn.", n),
    )


@admin.register(StakeholderProfile)
class StakeholderProfileAdmin(admin.ModelAdmin):
    list_display = (
        "full_name",
        "organization_display",
        "organization_confirmed",
        "stakeholder_group",
        "country",
        "gender",
        "preferred_language",
        "created_at",
    )
    list_filter = (
        OrganizationConfirmedFilter,
        "stakeholder_group",
        "country",
        "gender",
        "preferred_language",
    )
    search_fields = ("full_name", "user__email", "organization__name", "organization_name")
    list_select_related = ("stakeholder_group", "organization")
    raw_id_fields = ("user", "organization")
    readonly_fields = (
        "organization_confirmed_at",
        "organization_confirmed_by",
        "terms_accepted_at",
        "public_listing_consent_at",
        "created_at",
        "updated_at",
    )
    date_hierarchy = "created_at"
    actions = [confirm_organization, revoke_organization]

    @admin.display(description=_("organization"), ordering="organization__name")
    def organization_display(self, obj) -> str:
        if obj.organization_id:
            return obj.organization.short_name
        return obj.organization_name or "—"

    @admin.display(description=_("organization confirmed"), boolean=True)
    def organization_confirmed(self, obj) -> bool | None:
        # No icon for someone who names no listed organization: there is nothing to confirm.
        return obj.organization_confirmed if obj.organization_id else None

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        if not can_see_accessibility_needs(request.user):
            excluded.append("accessibility_needs")
        return excluded

    def save_model(self, request, obj, form, change):
        services.save_profile_by_staff(actor=request.user, profile=obj, changed_fields=form.changed_data)

    def delete_model(self, request, obj):
        user = obj.user
        super().delete_model(request, obj)
        record_audit(actor=request.user, action="profile.admin_delete", obj=user)

    def delete_queryset(self, request, queryset):
        users = [profile.user for profile in queryset.select_related("user")]
        super().delete_queryset(request, queryset)
        for user in users:
            record_audit(actor=request.user, action="profile.admin_delete", obj=user)
