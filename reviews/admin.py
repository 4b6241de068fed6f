from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from gcm_portal.admin_mixins import TranslationStatusAdminMixin
from gcm_portal.audit import record_audit

from .forms import ReviewEventForm
from .models import (
    GuidingPrinciple,
    Objective,
    PledgeForm,
    Region,
    RegionalReview,
    ReviewEvent,
    ReviewMembership,
    StakeholderGroup,
    ThematicArea,
)
from .permissions import MANAGING_ROLES, can_manage_review, reviews_managed_by
from .services import grant_review_membership, revoke_review_membership

# --- Audit of admin changes ----------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return [_plain(item) for item in value]
    return value


# ReviewEventForm asks for the date in parts; the audit records the stored date they make.
_DATE_PARTS = {"date_year", "date_month", "date_day", "date_half"}


def _snapshot(obj: models.Model, names) -> dict:
    fields = {"date_start" if name in _DATE_PARTS else name for name in names}
    values = model_to_dict(obj, fields=fields)
    return {name: _plain(value) for name, value in values.items()}


def _audit_label(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


class AuditedAdminMixin:
    """Every save and delete made through this admin writes an audit entry with the changed fields' values
    before and after. Inline formsets are audited object by object."""

    def save_model(self, request, obj, form, change):
        changed = list(form.changed_data)
        before = {}
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = _snapshot(stored, changed) if stored is not None else {}
        super().save_model(request, obj, form, change)
        request._audit_pending = (obj, "update" if change else "create", before, changed)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pending = getattr(request, "_audit_pending", None)
        if pending is not None:
            obj, verb, before, changed = pending
            # After save_related, so many-to-many values are the saved ones.
            record_audit(
                actor=request.user,
                action=f"{_audit_label(obj)}.{verb}",
                obj=obj,
                before=before,
                after=_snapshot(obj, changed),
            )

    def delete_model(self, request, obj):
        record_audit(actor=request.user, action=f"{_audit_label(obj)}.delete", obj=obj, before={"pk": obj.pk})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                record_audit(
                    actor=request.user, action=f"{_audit_label(obj)}.delete", obj=obj, before={"pk": obj.pk}
                )
            super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        befores = {}
        for inline_form in formset.initial_forms:
            if inline_form.instance.pk is not None and inline_form.has_changed():
                stored = (
                    type(inline_form.instance)._default_manager.filter(pk=inline_form.instance.pk).first()
                )
                if stored is not None:
                    befores[inline_form.instance.pk] = _snapshot(stored, inline_form.changed_data)
        for inline_form in formset.deleted_forms:
            obj = inline_form.instance
            if obj.pk is not None:
                record_audit(
                    actor=request.user, action=f"{_audit_label(obj)}.delete", obj=obj, before={"pk": obj.pk}
                )
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            obj = inline_form.instance
            if obj.pk is None or not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            verb = "update" if obj.pk in befores else "create"
            record_audit(
                actor=request.user,
                action=f"{_audit_label(obj)}.{verb}",
                obj=obj,
                before=befores.get(obj.pk, {}),
                after=_snapshot(obj, inline_form.changed_data),
            )


# --- GCM reference data --------------------------------------------------------------------------------
# Every page of the portal shows these texts, so each change made here is audited like a review's.


@admin.register(Objective)
class ObjectiveAdmin(AuditedAdminMixin, TranslationStatusAdminMixin, TabbedTranslationAdmin):
    list_display = ("number", "title", "cross_cutting", "unverified_translations")
    list_display_links = ("number", "title")
    search_fields = ("title_en", "title_fr", "title_ar")
    ordering = ("number",)


@admin.register(ThematicArea)
class ThematicAreaAdmin(AuditedAdminMixin, TranslationStatusAdminMixin, TabbedTranslationAdmin):
    list_display = ("number", "title", "unverified_translations")
    filter_horizontal = ("objectives",)


@admin.register(GuidingPrinciple, StakeholderGroup, PledgeForm)
class KeyedReferenceAdmin(AuditedAdminMixin, TranslationStatusAdminMixin, TabbedTranslationAdmin):
    list_display = ("key", "__str__", "order", "unverified_translations")
    ordering = ("order",)


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, TranslationStatusAdminMixin, TabbedTranslationAdmin):
    list_display = ("key", "commission", "name", "unverified_translations")


# --- Object-level rights per review --------------------------------------------------------------------


class ReviewScopedAdminMixin:
    """Staff who are not superusers see and change only what belongs to reviews they are members of
    (reviews.ReviewMembership), on top of their model permissions. `review_lookup` leads from the
    model to its review; empty for RegionalReview itself. `change_roles`, when set, are the membership roles
    needed to add, change or delete (viewing stays open to every member of the review)."""

    review_lookup = "review"
    change_roles: tuple[str, ...] | None = None

    def review_of(self, obj):
        if obj is None:
            return None
        if not self.review_lookup:
            return obj
        for part in self.review_lookup.split("__"):
            obj = getattr(obj, part)
        return obj

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        managed = reviews_managed_by(request.user)
        if not self.review_lookup:
            return queryset.filter(pk__in=managed.values("pk"))
        return queryset.filter(**{f"{self.review_lookup}__in": managed.values("pk")})

    def _may_touch(self, request, obj, roles=None) -> bool:
        return obj is None or can_manage_review(request.user, self.review_of(obj), roles=roles)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_touch(request, obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            self.change_roles is None or reviews_managed_by(request.user, roles=self.change_roles).exists()
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_touch(
            request, obj, self.change_roles
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_touch(
            request, obj, self.change_roles
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is RegionalReview and not request.user.is_superuser:
            kwargs["queryset"] = reviews_managed_by(request.user, roles=self.change_roles)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReviewChildInlineMixin:
    """For inlines on a review (or on something that belongs to one): the parent's review must be one the
    user manages (in one of `change_roles`, when set, to add, change or delete). Used by the organizer inlines
    stakeholders/admin_organizations.py attaches."""

    parent_review_lookup = ""
    change_roles: tuple[str, ...] | None = None

    def _parent_review(self, obj):
        for part in filter(None, self.parent_review_lookup.split("__")):
            obj = getattr(obj, part)
        return obj

    def _may_touch(self, request, obj, roles=None) -> bool:
        return obj is None or can_manage_review(request.user, self._parent_review(obj), roles=roles)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_touch(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_touch(request, obj, self.change_roles)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_touch(
            request, obj, self.change_roles
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_touch(
            request, obj, self.change_roles
        )


# --- Reviews, their timelines and their teams ----------------------------------------------------------

EVENT_DATE_FIELDS = ("date_precision", "date_year", "date_month", "date_day", "date_half", "date_end")


class ReviewEventInline(ReviewChildInlineMixin, TranslationStackedInline):
    model = ReviewEvent
    form = ReviewEventForm
    extra = 0
    show_change_link = True
    classes = ("collapse",)
    fields = ("phase", "kind", "title", EVENT_DATE_FIELDS, "is_closed", "order", "objectives")
    filter_horizontal = ("objectives",)
    verbose_name_plural = _("timeline (organizers are edited on each event's own page)")


class ReviewMembershipInline(ReviewChildInlineMixin, admin.TabularInline):
    model = ReviewMembership
    extra = 0
    fields = ("user", "role")
    # Granting rights is a managing decision: a rapporteur given the model permissions must not be able to
    # make themselves (or anyone) secretariat.
    change_roles = MANAGING_ROLES

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(RegionalReview)
class RegionalReviewAdmin(
    AuditedAdminMixin, ReviewScopedAdminMixin, TranslationStatusAdminMixin, TabbedTranslationAdmin
):
    review_lookup = ""
    list_display = ("title", "region", "round", "status", "is_published", "unverified_translations")
    list_filter = ("region", "round", "status", "is_published")
    search_fields = ("title_en", "title_fr", "title_ar", "slug")
    list_select_related = ("region",)
    prepopulated_fields = {"slug": ("title_en",)}
    fieldsets = (
        (None, {"fields": ("region", "round", "title", "slug", "status", "is_published")}),
        (_("Purpose"), {"fields": ("purpose", "review_objectives", "informs")}),
        (_("Dates"), {"fields": (("conference_start", "conference_end"), "outcome_deadline")}),
        (_("Countries"), {"fields": ("champion_countries",)}),
        (_("Translations"), {"fields": ("translation_status",)}),
    )
    # Organizer and supporter inlines are appended by stakeholders/admin_organizations.py.
    inlines = [ReviewMembershipInline, ReviewEventInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not request.user.is_superuser:
            # Whoever creates a review may manage it; without this they could not see it again.
            grant_review_membership(
                actor=request.user, review=obj, user=request.user, role=ReviewMembership.Role.SECRETARIAT
            )


class ReviewEventAdminForm(ReviewEventForm):
    # The admin's fieldsets choose the fields. With Meta.fields set, modeltranslation copies them onto the admin
    # the first time a form is built, and the admin then has both `fields` and `fieldsets` (check admin.E005).
    class Meta(ReviewEventForm.Meta):
        fields = None
        exclude = ()


@admin.register(ReviewEvent)
class ReviewEventAdmin(
    AuditedAdminMixin, ReviewScopedAdminMixin, TranslationStatusAdminMixin, TabbedTranslationAdmin
):
    form = ReviewEventAdminForm
    list_display = ("title", "review", "event_date", "kind", "phase", "is_closed", "unverified_translations")
    list_filter = (
        ("review", admin.RelatedOnlyFieldListFilter),
        "review__region",
        "review__round",
        "kind",
        "phase",
        "is_closed",
        "date_precision",
    )
    search_fields = ("title_en", "title_fr", "title_ar", "description_en", "description_fr", "description_ar")
    list_select_related = ("review",)
    filter_horizontal = ("objectives",)
    fieldsets = (
        (None, {"fields": ("review", "phase", "kind", "title", "description")}),
        (_("Date"), {"fields": EVENT_DATE_FIELDS}),
        (None, {"fields": ("objectives", "is_closed", "order", "translation_status")}),
    )
    # Organizer inlines are appended by stakeholders/admin_organizations.py.
    inlines: list = []

    @admin.display(description=_("date"), ordering="date_sort")
    def event_date(self, obj: ReviewEvent) -> str:
        return obj.date_display


@admin.register(ReviewMembership)
class ReviewMembershipAdmin(AuditedAdminMixin, ReviewScopedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "review", "role")
    list_filter = ("role", ("review", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__username", "user__email", "review__title_en")
    list_select_related = ("user", "review")
    # Granting rights is a managing decision: a rapporteur given the model permissions must not be able to
    # make themselves (or anyone) secretariat. Viewing the team stays open to every member.
    change_roles = MANAGING_ROLES

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Taking someone's rights away goes through the service, so the audit log names it a revocation with
    # who held which role, the same entry whoever removes a membership.
    def delete_model(self, request, obj):
        revoke_review_membership(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for membership in queryset.select_related("review", "user"):
                revoke_review_membership(actor=request.user, membership=membership)
