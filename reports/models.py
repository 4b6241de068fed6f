"""Outcome documents, summary reports and their rendered PDFs. Depends on every other app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation
from gcm_portal.models import TranslationStatusMixin
from reviews.models import RegionalReview


class ConsultationSummary(TranslationStatusMixin):
    """The summary report of one consultation. Participation figures, agenda and key messages are read live
    when it is rendered; only the introduction and next steps are written by staff."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="summary_report", verbose_name=_("consultation")
    )
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Basic formatting is kept."))
    next_steps = models.TextField(_("next steps"), blank=True, help_text=_("Basic formatting is kept."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consultation summary report")
        verbose_name_plural = _("consultation summary reports")

    def __str__(self) -> str:
        return str(self.consultation)

    @property
    def review(self) -> RegionalReview:
        return self.consultation.review

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class OutcomeDocument(TranslationStatusMixin):
    """The outcome document of a review conference. Its annex is assembled from the approved key messages of
    all the review's consultations each time it is rendered."""

    SECTIONS = ("preamble", "main_messages", "way_forward")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    review = models.OneToOneField(
        RegionalReview, on_delete=models.CASCADE, related_name="outcome_document", verbose_name=_("review")
    )
    preamble = models.TextField(_("preamble"), blank=True, help_text=_("Basic formatting is kept."))
    main_messages = models.TextField(_("main messages"), blank=True, help_text=_("Basic formatting is kept."))
    way_forward = models.TextField(_("way forward"), blank=True, help_text=_("Basic formatting is kept."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Set when a staff member finalised the document although some text lacked a language: the missing
    # text is then shown in another language, marked as such, in the rendered document.
    fallback_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fallback_accepted_at = models.DateTimeField(_("fallback accepted at"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outcome document")
        verbose_name_plural = _("outcome documents")

    def __str__(self) -> str:
        return str(self.review)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.FINAL


class RenderedDocument(models.Model):
    """One PDF of one document in one language. A new version is made only when the document's inputs (its
    content hash) change; the inputs are kept so the PDF can be rendered, or rendered again, from them."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    outcome_document = models.ForeignKey(
        OutcomeDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="renders"
    )
    consultation_summary = models.ForeignKey(
        ConsultationSummary, null=True, blank=True, on_delete=models.CASCADE, related_name="renders"
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    failure_reason = models.TextField(_("reason for the failure"), blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64)
    inputs = models.JSONField(_("inputs"), default=dict)
    # Rendered from content that may be published (a final outcome document, a published summary).
    is_public = models.BooleanField(_("public"), default=False)
    file = models.FileField(_("file"), upload_to="reports/", blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["language", "-version"]
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome_document__isnull=False, consultation_summary__isnull=True)
                | models.Q(outcome_document__isnull=True, consultation_summary__isnull=False),
                name="rendered_document_has_one_source",
            ),
            models.UniqueConstraint(
                fields=["outcome_document", "language", "version"], name="unique_outcome_render_version"
            ),
            models.UniqueConstraint(
                fields=["consultation_summary", "language", "version"], name="unique_summary_render_version"
            ),
            # Same inputs, same PDF: a second row for them would be a duplicate file.
            models.UniqueConstraint(
                fields=["outcome_document", "language", "content_hash"], name="unique_outcome_render_inputs"
            ),
            models.UniqueConstraint(
                fields=["consultation_summary", "language", "content_hash"],
                name="unique_summary_render_inputs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} — {self.language} — v{self.version}"

    @property
    def source(self) -> OutcomeDocument | ConsultationSummary:
        return self.outcome_document or self.consultation_summary

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)
