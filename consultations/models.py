"""Thematic consultations, their agenda and guiding questions, registrations, and the key messages that come
out of them. Depends on `reviews` and `stakeholders`."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gcm_portal.models import TranslationStatusMixin
from reviews.models import Objective, RegionalReview, ReviewEvent, ThematicArea
from stakeholders.models import Organization

LANGUAGE_CHOICES = settings.LANGUAGES


class Consultation(TranslationStatusMixin):
    class Format(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for registration")
        CLOSED = "closed", _("Registration closed")
        HELD = "held", _("Held")
        REPORTED = "reported", _("Reported")

    review = models.ForeignKey(
        RegionalReview, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("review")
    )
    thematic_area = models.ForeignKey(
        ThematicArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("thematic area"),
    )
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="consultations", verbose_name=_("focus objectives")
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    concept_note = models.TextField(_("concept note"), blank=True, help_text=_("Basic formatting is kept."))
    lead_organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_consultations",
        verbose_name=_("lead organization"),
    )
    co_lead_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="co_led_consultations", verbose_name=_("co-lead organizations")
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.ONLINE)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("time zone of the event"), max_length=64, default="UTC")
    interpretation_languages = models.JSONField(
        _("interpretation languages"), default=list, blank=True, help_text=_("Language codes: ar, en, fr.")
    )
    # Never shown publicly: only confirmed participants see it, on their page and in their e-mail.
    meeting_link = models.URLField(_("meeting link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=100)
    registration_opens_at = models.DateTimeField(_("registration opens at"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes at"), null=True, blank=True)
    requires_approval = models.BooleanField(_("registrations need approval"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_published = models.BooleanField(_("published"), default=False)
    # Targets for balanced participation, e.g. {"gender": {"woman": 50}, "region": {"africa": 60}} (percent).
    balance_targets = models.JSONField(_("balance targets"), default=dict, blank=True)
    # The consultation's entry in its review's timeline, kept in step by the consultation services.
    timeline_event = models.OneToOneField(
        ReviewEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="consultation"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="consultation_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", kwargs={"slug": self.slug})


class AgendaItem(TranslationStatusMixin):
    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening")
        BRIEFING = "briefing", _("Briefing")
        PRESENTATION = "presentation", _("Presentation")
        DISCUSSION = "discussion", _("Discussion")
        CONCLUSIONS = "conclusions", _("Conclusions")
        RECOMMENDATIONS = "recommendations", _("Recommendations")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRESENTATION)
    title = models.CharField(_("title"), max_length=300)
    presenters = models.CharField(_("presenters"), max_length=500, blank=True)

    class Meta:
        ordering = ["order", "starts_at", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")

    def __str__(self) -> str:
        return self.title


class GuidingQuestion(TranslationStatusMixin):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="guiding_questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("question"))
    objectives = models.ManyToManyField(Objective, blank=True, related_name="guiding_questions")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")

    def __str__(self) -> str:
        return self.text[:80]


class BackgroundDocument(TranslationStatusMixin):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    link = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="consultations/documents/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("background document")
        verbose_name_plural = _("background documents")

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined")
        ATTENDED = "attended", _("Attended")

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="registrations")
    # Null once the person deleted their account: the row stays as an anonymous count for balance figures.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    # Snapshot of the profile at registration time, so the balance figures do not change when a profile does
    # and survive the erasure of the person.
    region_key = models.CharField(max_length=40, blank=True)
    gender = models.CharField(max_length=20, blank=True)
    stakeholder_group_key = models.CharField(max_length=40, blank=True)
    interpretation_language = models.CharField(max_length=5, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=models.Q(user__isnull=False),
                name="one_registration_per_person",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "status"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.consultation} — {self.get_status_display()}"


class RegistrationNotice(models.Model):
    """An e-mail owed to a participant, written in the same transaction as the change it announces and sent
    by a Celery task after commit (an outbox): `sent_at` turns a redelivered task into a no-op."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Registration received")
        CONFIRMED = "confirmed", _("Registration confirmed")
        WAITLISTED = "waitlisted", _("Placed on the waiting list")
        PROMOTED = "promoted", _("Promoted from the waiting list")
        CANCELLED = "cancelled", _("Registration cancelled")
        DECLINED = "declined", _("Registration declined")
        REMINDER = "reminder", _("Reminder the day before")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration e-mail")
        verbose_name_plural = _("registration e-mails")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.registration_id}"


class TimeZonePreference(models.Model):
    """The time zone a person wants consultation times shown in, next to the event's own zone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_time_zone"
    )
    time_zone = models.CharField(_("your time zone"), max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("time zone preference")
        verbose_name_plural = _("time zone preferences")

    def __str__(self) -> str:
        return self.time_zone


class KeyMessage(TranslationStatusMixin):
    """One message from a consultation, of one of the five kinds every consultation asks about."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress so far")
        CHALLENGES = "challenges", _("Challenges, opportunities, gaps and emerging issues")
        PRACTICES = "practices", _("Good practices and lessons learned")
        RESOURCES = "resources", _("Resource and capacity-building needs")
        RECOMMENDATIONS = "recommendations", _("Recommendations")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="key_messages")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    objectives = models.ManyToManyField(Objective, related_name="key_messages", verbose_name=_("objectives"))
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="key_messages"
    )
    guiding_question = models.ForeignKey(
        GuidingQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="key_messages"
    )
    text = models.TextField(_("text"))
    original_language = models.CharField(
        _("original language"), max_length=5, choices=LANGUAGE_CHOICES, default="en"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["consultation", "kind", "order", "id"]
        verbose_name = _("key message")
        verbose_name_plural = _("key messages")

    def __str__(self) -> str:
        return self.text[:80]
