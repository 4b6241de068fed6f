"""Admin for outcome documents, summary reports and their renders. Staff see the documents of the reviews
they have rights on; changes go through the report services (sanitised, audited)."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from modeltranslation.admin import TabbedTranslationAdmin

from gcm_portal.admin_mixins import TranslationStatusAdminMixin
from reviews.permissions import can_manage_review, reviews_managed_by

from . import services
from .models import ConsultationSummary, OutcomeDocument, RenderedDocument


def _texts(obj, sections) -> dict[str, dict[str, str]]:
    return {s: {code: getattr(obj, f"{s}_{code}") or "" for code, _n in settings.LANGUAGES} for s in sections}


@admin.register(OutcomeDocument)
class OutcomeDocumentAdmin(TranslationStatusAdminMixin, TabbedTranslationAdmin):
    list_display = ("review", "status", "finalized_at", "unverified_translations")
    list_filter = ("status",)
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

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == OutcomeDocument.Status.FINAL:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not can_manage_review(request.user, obj.review):
            raise PermissionDenied
        saved = services.save_outcome_document(
            review=obj.review, actor=request.user, texts=_texts(obj, OutcomeDocument.SECTIONS)
        )
        obj.pk = saved.pk


@admin.register(ConsultationSummary)
class ConsultationSummaryAdmin(TranslationStatusAdminMixin, TabbedTranslationAdmin):
    list_display = ("consultation", "status", "updated_at", "unverified_translations")
    list_filter = ("status",)
    fields = ("consultation", "introduction", "next_steps", "status")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(consultation__review__in=reviews_managed_by(request.user))

    def save_model(self, request, obj, form, change):
        if not can_manage_review(request.user, obj.consultation.review):
            raise PermissionDenied
        saved = services.save_consultation_summary(
            consultation=obj.consultation,
            actor=request.user,
            texts=_texts(obj, ("introduction", "next_steps")),
            status=obj.status,
        )
        obj.pk = saved.pk


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    """Read-only: renders are made by "generate" and the workers, never by hand."""

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
