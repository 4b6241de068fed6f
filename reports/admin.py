"""Admin for outcome documents, summary reports and their renders. Staff see the documents of the reviews
they have rights on; changes and deletions go through the report services (sanitised, audited). As on the
documents page, publishing a summary and deleting a document need one of MANAGING_ROLES."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from modeltranslation.admin import TabbedTranslationAdmin

from consultations.models import Consultation
from gcm_portal.admin_mixins import TranslationStatusAdminMixin
from reviews.models import RegionalReview
from reviews.permissions import MANAGING_ROLES, can_manage_review, reviews_managed_by

from . import services
from .models import ConsultationSummary, OutcomeDocument, RenderedDocument


def _texts(obj, sections) -> dict[str, dict[str, str]]:
    return {s: {code: getattr(obj, f"{s}_{code}") or "" for code, _n in settings.LANGUAGES} for s in sections}


def _decides(request, review) -> bool:
    return can_manage_review(request.user, review, roles=MANAGING_ROLES)


class DeletedWithRendersMixin:
    """A document's renders are deleted with it (by the service, which audits the deletion). Their own admin
    refuses every deletion, which would otherwise make Django refuse to delete a document that has any."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        renders = str(RenderedDocument._meta.verbose_name)
        return deleted, counts, {name for name in perms_needed if str(name) != renders}, protected


@admin.register(OutcomeDocument)
class OutcomeDocumentAdmin(DeletedWithRendersMixin, TranslationStatusAdminMixin, TabbedTranslationAdmin):
    list_display = ("review", "status", "finalized_at", "unverified_translations")
    list_filter = ("status",)
    list_select_related = ("review",)
    fields = (
        "review",
        "preamble",
        "main_messages",
        "way_forward",
        "status",
        "finalized_at",
        "fallback_accepted_at",
    )
    readonly_fields = ("status", "finalized_at", "fallback_accepted_at")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(review__in=reviews_managed_by(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is RegionalReview:
            kwargs["queryset"] = reviews_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == OutcomeDocument.Status.FINAL:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request, obj)
        # A final document is public: like a change, its removal waits until it is reopened.
        return (
            obj.status != OutcomeDocument.Status.FINAL
            and super().has_delete_permission(request, obj)
            and _decides(request, obj.review)
        )

    def save_model(self, request, obj, form, change):
        if not can_manage_review(request.user, obj.review):
            raise PermissionDenied
        saved = services.save_outcome_document(
            review=obj.review, actor=request.user, texts=_texts(obj, OutcomeDocument.SECTIONS)
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.delete_outcome_document(document=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        # The changelist's bulk action checks the model permission only: each row is checked here.
        with transaction.atomic():
            for document in queryset.select_related("review"):
                if not self.has_delete_permission(request, document):
                    raise PermissionDenied
                services.delete_outcome_document(document=document, actor=request.user)


@admin.register(ConsultationSummary)
class ConsultationSummaryAdmin(DeletedWithRendersMixin, TranslationStatusAdminMixin, TabbedTranslationAdmin):
    list_display = ("consultation", "status", "updated_at", "unverified_translations")
    list_filter = ("status",)
    list_select_related = ("consultation",)
    fields = ("consultation", "introduction", "next_steps", "status")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(consultation__review__in=reviews_managed_by(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Consultation:
            kwargs["queryset"] = Consultation.objects.filter(review__in=reviews_managed_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and not _decides(request, obj.consultation.review):
            readonly += ("status",)
        return readonly

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request, obj)
        return super().has_delete_permission(request, obj) and _decides(request, obj.consultation.review)

    def save_model(self, request, obj, form, change):
        review = obj.consultation.review
        if not can_manage_review(request.user, review):
            raise PermissionDenied
        stored = ConsultationSummary.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        if obj.status != (stored or ConsultationSummary.Status.DRAFT) and not _decides(request, review):
            raise PermissionDenied
        saved = services.save_consultation_summary(
            consultation=obj.consultation,
            actor=request.user,
            texts=_texts(obj, ("introduction", "next_steps")),
            status=obj.status,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.delete_consultation_summary(summary=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for summary in queryset.select_related("consultation__review"):
                if not self.has_delete_permission(request, summary):
                    raise PermissionDenied
                services.delete_consultation_summary(summary=summary, actor=request.user)


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    """Read-only: renders are made by "generate" and the workers, never by hand, and go only with their
    document (whose deletion is audited)."""

    list_display = (
        "__str__",
        "language",
        "version",
        "status",
        "page_count",
        "size",
        "created_at",
        "finished_at",
    )
    list_filter = ("status", "language")
    exclude = ("inputs",)

    def get_queryset(self, request):
        reviews = reviews_managed_by(request.user)
        return (
            super()
            .get_queryset(request)
            .defer("inputs")
            .select_related("outcome_document__review", "consultation_summary__consultation")
            .filter(
                Q(outcome_document__review__in=reviews)
                | Q(consultation_summary__consultation__review__in=reviews)
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
