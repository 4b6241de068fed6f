"""GCM reference data (objectives, principles, stakeholder groups, pledge forms, regions), regional reviews
and their timelines. Every other app builds on these; this app imports none of them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from gcm_portal.models import TranslationStatusMixin

from . import dates


class Objective(TranslationStatusMixin):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=100, blank=True)
    # Objective 23 (international cooperation) runs through every thematic area.
    cross_cutting = models.BooleanField(_("cross-cutting"), default=False)

    class Meta:
        ordering = ["number"]
        verbose_name = _("GCM objective")
        verbose_name_plural = _("GCM objectives")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:objective", kwargs={"number": self.number})


class ThematicArea(TranslationStatusMixin):
    """A grouping of objectives used by the regional reviews' thematic consultations (data, not code)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    objectives = models.ManyToManyField(
        Objective, related_name="thematic_areas", verbose_name=_("objectives")
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class GuidingPrinciple(TranslationStatusMixin):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("guiding principle")
        verbose_name_plural = _("guiding principles")

    def __str__(self) -> str:
        return self.title


class StakeholderGroup(TranslationStatusMixin):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")

    def __str__(self) -> str:
        return self.name


class PledgeForm(TranslationStatusMixin):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("pledge form")
        verbose_name_plural = _("pledge forms")

    def __str__(self) -> str:
        return self.name


class Region(TranslationStatusMixin):
    """A UN region as its regional commission covers it. A country may belong to several review regions
    (North African Arab states take part in both the Arab and the Africa reviews)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    commission = models.CharField(_("commission acronym"), max_length=20)
    name = models.CharField(_("name"), max_length=200, help_text=_("The regional commission's name."))
    countries = CountryField(_("member countries"), multiple=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.commission} — {self.name}"


class RegionalReview(TranslationStatusMixin):
    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        PREPARATORY = "preparatory", _("Preparatory process")
        CONFERENCE = "conference", _("Review conference")
        OUTCOME = "outcome", _("Outcome document")
        CLOSED = "closed", _("Closed")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("region")
    )
    round = models.PositiveSmallIntegerField(_("round"), help_text=_("1 = 2020–21, 2 = 2023–24, …"))
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    purpose = models.TextField(_("purpose"), blank=True)
    review_objectives = models.JSONField(
        _("objectives of the review"),
        default=list,
        blank=True,
        help_text=_('A list of {"ar": …, "en": …, "fr": …} items.'),
    )
    conference_start = models.DateField(_("conference start"), null=True, blank=True)
    conference_end = models.DateField(_("conference end"), null=True, blank=True)
    outcome_deadline = models.DateField(
        _("outcome document deadline"),
        null=True,
        blank=True,
        help_text=_("The month counts; the day is the 1st."),
    )
    informs = models.CharField(_("forum it informs"), max_length=200, blank=True)
    champion_countries = CountryField(_("champion countries"), multiple=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNING)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region__order", "-round"]
        verbose_name = _("regional review")
        verbose_name_plural = _("regional reviews")
        constraints = [
            models.UniqueConstraint(fields=["region", "round"], name="one_review_per_region_round"),
            models.CheckConstraint(
                condition=models.Q(conference_end__isnull=True)
                | models.Q(conference_start__isnull=True)
                | models.Q(conference_end__gte=models.F("conference_start")),
                name="review_conference_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.conference_start and self.conference_end and self.conference_end < self.conference_start:
            errors["conference_end"] = _("The conference cannot end before it starts.")
        if self.outcome_deadline and self.outcome_deadline.day != 1:
            errors["outcome_deadline"] = _(
                "The deadline is known to the month: give the 1st of that month, not another day."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def conference_display(self) -> str:
        if not self.conference_start:
            return ""
        end = (
            self.conference_end
            if self.conference_end and self.conference_end != self.conference_start
            else None
        )
        return dates.format_event_date(
            start=self.conference_start, end=end, precision=dates.RANGE if end else dates.DAY
        )

    @property
    def outcome_deadline_display(self) -> str:
        if not self.outcome_deadline:
            return ""
        return dates.format_event_date(start=self.outcome_deadline, end=None, precision=dates.MONTH)

    def review_objectives_in(self, language: str) -> list[str]:
        """The review's objectives in `language`, falling back to English for an item not yet translated."""
        items = self.review_objectives if isinstance(self.review_objectives, list) else []
        texts = []
        for item in items:
            if isinstance(item, dict):
                text = item.get(language) or item.get(settings.MODELTRANSLATION_DEFAULT_LANGUAGE) or ""
            else:
                text = str(item)
            if text:
                texts.append(text)
        return texts


class ReviewMembership(models.Model):
    """Object-level staff rights: who may manage which review (secretariat, organizer, rapporteur)."""

    class Role(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        ORGANIZER = "organizer", _("Organizer")
        RAPPORTEUR = "rapporteur", _("Rapporteur")

    review = models.ForeignKey(RegionalReview, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SECRETARIAT)

    class Meta:
        verbose_name = _("review team member")
        verbose_name_plural = _("review team")
        constraints = [models.UniqueConstraint(fields=["review", "user", "role"], name="unique_review_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.review}"


class ReviewEvent(TranslationStatusMixin):
    """One event of a review's timeline. Dates are often known only to the month or half-year: the date is
    stored as the first day it can be (which sorts correctly) plus a precision that says how to show it."""

    class Phase(models.TextChoices):
        PREPARATORY = "preparatory", _("Preparatory process")
        REVIEW = "review", _("Review")

    class Kind(models.TextChoices):
        GCM_TALK = "gcm_talk", _("GCM Talk")
        CHAMPION_COUNTRIES = "champion_countries", _("Champion countries meeting")
        MINISTERIAL = "ministerial", _("Ministerial meeting")
        RCP_MEETING = "rcp_meeting", _("Regional consultative process meeting")
        STAKEHOLDER_CONSULTATION = "stakeholder_consultation", _("Stakeholder consultation")
        STAKEHOLDER_HEARING = "stakeholder_hearing", _("Stakeholder hearing")
        REVIEW_CONFERENCE = "review_conference", _("Review conference")
        OUTCOME_SUBMISSION = "outcome_submission", _("Outcome document submission")
        GA_PLENARY = "ga_plenary", _("General Assembly plenary")
        OTHER = "other", _("Other")

    class Precision(models.TextChoices):
        DAY = dates.DAY, _("Exact day")
        RANGE = dates.RANGE, _("Range of days")
        MONTH = dates.MONTH, _("Month")
        HALF_YEAR = dates.HALF_YEAR, _("Half-year")

    review = models.ForeignKey(RegionalReview, on_delete=models.CASCADE, related_name="events")
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PREPARATORY)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    date_start = models.DateField(_("date (or first day)"))
    date_end = models.DateField(_("last day"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=10, choices=Precision.choices, default=Precision.DAY
    )
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="events", verbose_name=_("focus objectives")
    )
    is_closed = models.BooleanField(_("closed (invitation only)"), default=False)
    order = models.PositiveSmallIntegerField(_("order within the same date"), default=0)
    # The last day the event can fall on, kept by save(): see reviews/dates.py for why timelines sort on it.
    date_sort = models.DateField(_("sorts as"), editable=False, null=True)

    class Meta:
        ordering = ["date_sort", "date_start", "order", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        indexes = [
            models.Index(fields=["review", "date_start"]),
            models.Index(fields=["review", "date_sort", "date_start"], name="review_event_timeline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_end__isnull=True) | models.Q(date_end__gte=models.F("date_start")),
                name="review_event_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = dates.validation_errors(
            start=self.date_start, end=self.date_end, precision=self.date_precision
        )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.date_sort = self.last_possible_day
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"date_start", "date_end", "date_precision"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "date_sort"}
        super().save(*args, **kwargs)

    @property
    def last_possible_day(self):
        return dates.period_end(start=self.date_start, end=self.date_end, precision=self.date_precision)

    @property
    def date_display(self) -> str:
        return dates.format_event_date(
            start=self.date_start, end=self.date_end, precision=self.date_precision
        )

    @property
    def date_machine(self) -> str:
        return dates.machine_date(start=self.date_start, end=self.date_end, precision=self.date_precision)

    @property
    def has_known_days(self) -> bool:
        return self.date_precision in (self.Precision.DAY, self.Precision.RANGE)
