"""Admin for consultations, their agenda and guiding questions, and registrations.

Staff see only the consultations of reviews they are members of (superusers: all); changing or deleting a
consultation (its publication, its seats) and anything about registrations needs one of MANAGING_ROLES on
the review. Every change of state goes through consultations.services, so it is audited and people are
e-mailed as on the site.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline, TranslationTabularInline

from gcm_portal.admin_mixins import TranslationStatusAdminMixin
from reviews.models import RegionalReview

from . import services
from .forms import BackgroundDocumentForm, ConsultationAdminForm
from .models import AgendaItem, BackgroundDocument, Consultation, GuidingQuestion, Registration
from .permissions import MANAGING_ROLES, can_manage_review, managed_reviews_q


class AgendaItemInline(TranslationTabularInline):
    model = AgendaItem
    extra = 0
    fields = ("order", "starts_at", "ends_at", "kind", "title", "presenters")


class GuidingQuestionInline(TranslationStackedInline):
    model = GuidingQuestion
    extra = 0
    fields = ("order", "text", "objectives")
    filter_horizontal = ("objectives",)


class BackgroundDocumentInline(TranslationTabularInline):
    model = BackgroundDocument
    form = BackgroundDocumentForm
    extra = 0
    fields = ("order", "title", "link", "file", "content_type", "size")
    readonly_fields = ("content_type", "size")


class ReviewScopedAdminMixin:
    """Limits rows to the reviews the staff member works on (in one of `view_roles`, None: any role) and
    edit rights to `change_roles` on the row's review."""

    review_path = "review"
    view_roles: tuple[str, ...] | None = None
    change_roles: tuple[str, ...] | None = MANAGING_ROLES

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(managed_reviews_q(request.user, prefix=self.review_path, roles=self.view_roles))
        )

    def _review_of(self, obj):
        for part in self.review_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def _may_change(self, request, obj) -> bool:
        return obj is None or can_manage_review(request.user, self._review_of(obj), roles=self.change_roles)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)


@admin.register(Consultation)
class ConsultationAdmin(ReviewScopedAdminMixin, TranslationStatusAdminMixin, TabbedTranslationAdmin):
    form = ConsultationAdminForm
    list_display = (
        "title",
        "review",
        "starts_at",
        "status",
        "is_published",
        "capacity",
        "unverified_translations",
    )
    list_filter = ("status", "is_published", "format", "thematic_area")
    search_fields = ("title_en", "title_fr", "title_ar", "slug")
    list_select_related = ("review",)
    prepopulated_fields = {"slug": ("title_en",)}
    filter_horizontal = ("objectives", "co_lead_organizations")
    readonly_fields = ("timeline_event", "created_at", "updated_at")
    inlines = [AgendaItemInline, GuidingQuestionInline, BackgroundDocumentInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "review":
            kwargs["queryset"] = RegionalReview.objects.filter(
                managed_reviews_q(request.user, prefix="pk", roles=self.change_roles)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The form's capacity check (services.check_capacity) locked the row for this request's transaction,
        # so the service's own check under its lock cannot fail here on a registration made meanwhile.
        services.save_consultation(consultation=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        parts = formset.save(commit=False)
        services.save_consultation_parts(
            consultation=form.instance,
            actor=request.user,
            saved=parts,
            deleted=formset.deleted_objects,
            changed_fields={obj.pk: fields for obj, fields in formset.changed_objects},
        )
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The focus objectives are saved only now; the timeline entry copies them.
        services.sync_timeline_event(consultation=form.instance, actor=request.user)

    def delete_model(self, request, obj):
        services.delete_consultation(consultation_id=obj.pk, actor=request.user)

    def delete_queryset(self, request, queryset):
        for consultation_id in queryset.values_list("pk", flat=True):
            services.delete_consultation(consultation_id=consultation_id, actor=request.user)


class ManagedConsultationFilter(admin.SimpleListFilter):
    title = _("consultation")
    parameter_name = "consultation"

    def lookups(self, request, model_admin):
        consultations = Consultation.objects.filter(
            managed_reviews_q(request.user, roles=MANAGING_ROLES)
        ).order_by("-starts_at")
        return [(str(c.pk), str(c)) for c in consultations]

    def queryset(self, request, queryset):
        return queryset.filter(consultation_id=self.value()) if self.value() else queryset


def _run_on_each(modeladmin, request, queryset, service, done_message):
    changed, refused = 0, 0
    for registration_id in queryset.values_list("pk", flat=True):
        try:
            service(registration_id=registration_id, actor=request.user)
        except services.RegistrationError:
            refused += 1
        else:
            changed += 1
    modeladmin.message_user(request, done_message(changed), messages.SUCCESS)
    if refused:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d registration was left as it was: its status does not allow this.",
                "%(count)d registrations were left as they were: their status does not allow this.",
                refused,
            )
            % {"count": refused},
            messages.WARNING,
        )


@admin.register(Registration)
class RegistrationAdmin(ReviewScopedAdminMixin, admin.ModelAdmin):
    review_path = "consultation__review"
    # Registrations are people and their personal data: managing roles only, even to look.
    view_roles = MANAGING_ROLES
    list_display = (
        "person",
        "consultation",
        "status",
        "region_key",
        "gender",
        "stakeholder_group_key",
        "created_at",
    )
    list_filter = ("status", ManagedConsultationFilter, "region_key", "gender", "stakeholder_group_key")
    search_fields = ("user__email", "user__profile__full_name")
    list_select_related = ("user__profile", "consultation")
    date_hierarchy = "created_at"
    actions = ["approve", "decline"]
    readonly_fields = [field.name for field in Registration._meta.fields]

    @admin.display(description=_("person"))
    def person(self, obj):
        if obj.user_id is None:
            return _("(account deleted)")
        profile = getattr(obj.user, "profile", None)
        return profile.full_name if profile else obj.user.get_username()

    def has_add_permission(self, request):
        # People register on the site, where the seat rules and the profile snapshot apply.
        return False

    def has_delete_permission(self, request, obj=None):
        # Registrations are the record of who took part; they are cancelled or declined, never deleted.
        return False

    @admin.action(description=_("Approve the selected registrations (confirm or waitlist, and notify)"))
    def approve(self, request, queryset):
        _run_on_each(
            self,
            request,
            queryset,
            services.approve_registration,
            lambda n: (
                ngettext("%(count)d registration approved.", "%(count)d registrations approved.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Decline the selected registrations (and notify)"))
    def decline(self, request, queryset):
        _run_on_each(
            self,
            request,
            queryset,
            services.decline_registration,
            lambda n: (
                ngettext("%(count)d registration declined.", "%(count)d registrations declined.", n)
                % {"count": n}
            ),
        )
