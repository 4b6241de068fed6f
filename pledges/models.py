"""Pledges and written inputs (see issue: pledges). Depends on reviews and stakeholders.

Both are submissions an organization's member writes and the secretariat screens: they share the
draft → submitted → published / returned / declined workflow (`Submission`, and `pledges.services`).
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gcm_portal.models import TranslationStatus, TranslationStatusMixin
from reviews.models import GuidingPrinciple, Objective, PledgeForm, Region, RegionalReview, StakeholderGroup
from stakeholders.models import Organization

from .currencies import CURRENCY_CHOICES
from .traffic_light import ImplementationStatus, TrafficLight, traffic_light


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for changes")
    DECLINED = "declined", _("Declined")


def document_path(instance, filename: str) -> str:
    # The stored name never reuses what the uploader typed; the original name is kept in `document_name`.
    return f"{instance._meta.model_name}/documents/{uuid.uuid4().hex}.pdf"


@dataclass(frozen=True)
class LocalizedText:
    text: str
    language: str
    # True when the reader's language had no text and the original is shown instead.
    is_original_fallback: bool
    # True when the text shown is a translation nobody has verified yet.
    is_unverified_translation: bool


class Submission(TranslationStatusMixin):
    """What pledges and written inputs share: who submits, in which language, and the screening workflow."""

    Status = SubmissionStatus
    # Fields holding the submitter's own words, written in `original_language` and translated by staff.
    text_fields: tuple[str, ...] = ("title",)

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="%(class)ss", verbose_name=_("organization")
    )
    # Blank in the model because only the original language's text is required (checked by the services).
    title = models.CharField(_("title"), max_length=300, blank=True)
    original_language = models.CharField(
        _("language it was written in"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    objectives = models.ManyToManyField(
        Objective, related_name="%(class)ss", verbose_name=_("GCM objectives")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    decision_reason = models.TextField(_("reason given by the secretariat"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Which decision the submitter was last e-mailed about, so a re-delivered task sends nothing twice.
    notified_decision = models.CharField(max_length=80, blank=True, editable=False)
    document = models.FileField(_("supporting document (PDF)"), upload_to=document_path, blank=True)
    document_name = models.CharField(_("document file name"), max_length=200, blank=True)
    document_size = models.PositiveIntegerField(_("document size in bytes"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def localized(self, field: str, language: str | None = None) -> LocalizedText:
        """The text in the reader's language if there is one, otherwise in the language it was written in."""
        language = language or get_language() or settings.LANGUAGE_CODE
        value = getattr(self, f"{field}_{language}", "") or ""
        if value:
            return LocalizedText(
                value,
                language,
                is_original_fallback=False,
                is_unverified_translation=language != self.original_language and self.is_unverified(language),
            )
        original = getattr(self, f"{field}_{self.original_language}", "") or ""
        return LocalizedText(original, self.original_language, language != self.original_language, False)

    @property
    def localized_title(self) -> LocalizedText:
        return self.localized("title")

    @property
    def is_public(self) -> bool:
        return self.status == SubmissionStatus.PUBLISHED

    @property
    def is_editable_by_submitter(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)

    def mark_original_language(self) -> None:
        # The submitter's own text is the authoritative one; any other language is a translation.
        self.translation_status = {self.original_language: TranslationStatus.OFFICIAL} | {
            code: status
            for code, status in (self.translation_status or {}).items()
            if code != self.original_language and status != TranslationStatus.OFFICIAL
        }

    def __str__(self) -> str:
        return self.localized_title.text or f"#{self.pk}"


class Pledge(Submission):
    """A measurable commitment by a government or organization to advance GCM objectives or principles."""

    text_fields = ("title", "description")

    description = models.TextField(_("description"), blank=True)
    partner_organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="partner_pledges",
        verbose_name=_("partner organizations (joint pledge)"),
    )
    matches = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matching_pledges",
        verbose_name=_("matches the pledge"),
    )
    form = models.ForeignKey(
        PledgeForm,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("form"),
    )
    principles = models.ManyToManyField(
        GuidingPrinciple, blank=True, related_name="pledges", verbose_name=_("guiding principles")
    )
    reviews = models.ManyToManyField(
        RegionalReview, blank=True, related_name="pledges", verbose_name=_("regional reviews")
    )
    regions = models.ManyToManyField(Region, blank=True, related_name="pledges", verbose_name=_("regions"))
    indicator = models.CharField(_("measurable indicator"), max_length=500, blank=True)
    target = models.CharField(_("target"), max_length=500, blank=True)
    baseline = models.CharField(_("baseline"), max_length=500, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency (ISO 4217)"), max_length=3, choices=CURRENCY_CHOICES, blank=True)
    # Private: seen by the pledging organization's members and the secretariat only, never published.
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # Copied from the latest progress update so the traffic light can be counted and filtered in SQL.
    implementation_status = models.CharField(
        _("implementation status"),
        max_length=20,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.PLANNING,
    )
    last_progress_on = models.DateField(_("last progress update"), null=True, blank=True)
    is_synthetic = models.BooleanField(
        _("synthetic (test data)"), default=False, db_index=True, help_text=_("Made by generate_pledges.")
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        # Serves the public list's "newest first" page without sorting every published pledge.
        indexes = [models.Index(fields=["status", "-published_at", "-id"], name="pledge_published_order")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="pledge_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="pledge_amount_not_negative",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("pledges:detail", kwargs={"pk": self.pk})

    @property
    def localized_description(self) -> LocalizedText:
        return self.localized("description")

    @property
    def is_financial(self) -> bool:
        return self.form is not None and self.form.key == "financial"

    def last_heard_on(self) -> datetime.date:
        moment = self.published_at or self.created_at or timezone.now()
        return self.last_progress_on or moment.date()

    def traffic_light(self, today: datetime.date | None = None) -> TrafficLight:
        return traffic_light(
            implementation_status=self.implementation_status,
            last_heard_on=self.last_heard_on(),
            end_date=self.end_date,
            today=today or timezone.localdate(),
        )


class ProgressUpdate(models.Model):
    """What the pledger reports about the pledge's implementation, at a date."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="progress_updates")
    date = models.DateField(_("date"))
    implementation_status = models.CharField(
        _("implementation status"), max_length=20, choices=ImplementationStatus.choices
    )
    narrative = models.TextField(_("what happened"))
    indicator_value = models.DecimalField(
        _("indicator value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} — {self.get_implementation_status_display()}"


class WrittenInput(Submission):
    """A stakeholder's written contribution to a regional review: a text, a PDF, or both."""

    text_fields = ("title", "text")

    review = models.ForeignKey(
        RegionalReview,
        on_delete=models.PROTECT,
        related_name="written_inputs",
        verbose_name=_("regional review"),
    )
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.PROTECT,
        related_name="written_inputs",
        verbose_name=_("stakeholder group"),
    )
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("written input")
        verbose_name_plural = _("written inputs")
        indexes = [models.Index(fields=["review", "status"], name="input_review_status")]

    def get_absolute_url(self) -> str:
        return reverse("pledges:review_inputs", kwargs={"slug": self.review.slug}) + f"#input-{self.pk}"

    @property
    def localized_text(self) -> LocalizedText:
        return self.localized("text")
