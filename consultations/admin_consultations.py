"""Admin for consultations, their agenda and guiding questions, and registrations.

Staff see and change only the consultations of reviews they are members of (superusers: all). Every change
of state goes through consultations.services, so it is audited and people are e-mailed as on the site.
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
from .permissions import can_manage_review, managed_reviews_q


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
    """Limits rows and edit rights to the reviews the staff member works on."""

    review_path = "review"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(managed_reviews_q(request.user, prefix=self.review_path))

    def _review_of(self, obj):
        for part in self.review_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_manage_review(request.user, self._review_of(obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_manage_review(request.user, self._review_of(obj)))


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
            kwargs["queryset"] = RegionalReview.objects.filter(managed_reviews_q(request.user, prefix="pk"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        before = services.consultation_state(Consultation.objects.get(pk=obj.pk)) if change else {}
        services.save_consultation(consultation=obj, actor=request.user, before=before)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The focus objectives are saved only now; the timeline entry copies them.
        services.sync_timeline_event(consultation=form.instance)


class ManagedConsultationFilter(admin.SimpleListFilter):
    title = _("consultation")
    parameter_name = "consultation"

    def lookups(self, request, model_admin):
        consultations = Consultation.objects.filter(managed_reviews_q(request.user)).order_by("-starts_at")
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
