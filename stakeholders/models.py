"""Organizations (member states, UN entities, regional bodies, stakeholder organizations) and the people
who take part: stakeholder profiles. Depends on `reviews` only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from gcm_portal.models import TranslationStatusMixin
from reviews.models import RegionalReview, ReviewEvent, StakeholderGroup


class Organization(TranslationStatusMixin):
    class Kind(models.TextChoices):
        MEMBER_STATE = "member_state", _("Member State")
        UN_ENTITY = "un_entity", _("UN entity")
        REGIONAL_COMMISSION = "regional_commission", _("UN regional commission")
        RCP = "rcp", _("Regional consultative process / inter-state consultation mechanism")
        REGIONAL_ORGANIZATION = "regional_organization", _("Regional organization")
        STAKEHOLDER = "stakeholder", _("Stakeholder organization")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.STAKEHOLDER)
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("stakeholder group"),
    )
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            # A Member State is identified by its country: one row each.
            models.UniqueConstraint(
                fields=["country"],
                condition=models.Q(kind="member_state"),
                name="one_member_state_per_country",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def short_name(self) -> str:
        return self.acronym or self.name


class ReviewOrganization(models.Model):
    """An organization that organizes or supports a regional review, in the order the review lists them."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        SUPPORTER = "supporter", _("Supported by")

    review = models.ForeignKey(RegionalReview, on_delete=models.CASCADE, related_name="organization_links")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="review_links")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ORGANIZER)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["role", "order", "id"]
        verbose_name = _("review organization")
        verbose_name_plural = _("review organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "organization", "role"], name="unique_review_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_role_display()}"


class EventOrganizer(TranslationStatusMixin):
    """An organizer of a timeline event: an organization in the database, or a name typed as free text
    when the organizer is not (yet) one."""

    event = models.ForeignKey(ReviewEvent, on_delete=models.CASCADE, related_name="organizer_links")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="event_links"
    )
    name = models.CharField(_("name (when not an organization in the database)"), max_length=400, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("event organizer")
        verbose_name_plural = _("event organizers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False) | ~models.Q(name=""),
                name="event_organizer_has_organization_or_name",
            )
        ]

    def __str__(self) -> str:
        return str(self.organization) if self.organization_id else self.name

    @property
    def display_name(self) -> str:
        return self.organization.short_name if self.organization_id else self.name


class StakeholderProfile(models.Model):
    """What a person tells the portal about themselves before registering for a consultation."""

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        ANOTHER = "another", _("Another gender")
        UNDISCLOSED = "undisclosed", _("Prefer not to say")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    full_name = models.CharField(_("full name"), max_length=200)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("organization"),
        help_text=_("Leave empty if you take part as an individual."),
    )
    organization_name = models.CharField(_("organization (if not listed)"), max_length=300, blank=True)
    # Anybody can name an organization in their profile; only the secretariat's confirmation lets them act
    # for it (see pledges.access). Changing the organization clears the confirmation (stakeholders.services).
    organization_confirmed_at = models.DateTimeField(
        _("organization confirmed at"), null=True, blank=True, editable=False
    )
    organization_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("organization confirmed by"),
    )
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.PROTECT,
        related_name="profiles",
        verbose_name=_("stakeholder group"),
    )
    country = CountryField(_("country of residence"))
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    interpretation_language = models.CharField(
        _("interpretation language needed"), max_length=5, choices=settings.LANGUAGES, blank=True
    )
    accessibility_needs = models.TextField(
        _("accessibility needs"),
        blank=True,
        help_text=_("Seen only by the organizers of the consultations you join."),
    )
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    public_listing_consent_at = models.DateTimeField(
        _("consented to public listing at"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stakeholder profile")
        verbose_name_plural = _("stakeholder profiles")

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_individual(self) -> bool:
        return self.organization_id is None and not self.organization_name

    @property
    def organization_confirmed(self) -> bool:
        """Whether the secretariat confirmed that the person represents the organization their profile names."""
        return self.organization_id is not None and self.organization_confirmed_at is not None

    @property
    def listed_publicly(self) -> bool:
        return self.public_listing_consent_at is not None
