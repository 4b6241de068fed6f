"""Factories for consultations and the people who register for them."""

from datetime import timedelta

import factory
from django.contrib.auth.models import Permission
from django.utils import timezone

from consultations.models import AgendaItem, Consultation, GuidingQuestion, KeyMessage, Registration
from reviews.models import Objective, ReviewMembership, ThematicArea
from stakeholders.models import Organization, StakeholderProfile
from tests.factories import RegionalReviewFactory, StaffUserFactory, UserFactory, stakeholder_group


class ProfileFactory(factory.django.DjangoModelFactory):
    """A completed profile (terms accepted), which is what registering requires."""

    class Meta:
        model = StakeholderProfile

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Participant {n}")
    stakeholder_group = factory.LazyFunction(lambda: stakeholder_group("civil_society"))
    country = "EG"
    gender = StakeholderProfile.Gender.WOMAN
    preferred_language = "en"
    terms_accepted_at = factory.LazyFunction(timezone.now)


def participant(**profile_fields):
    """A user with a completed profile."""
    return ProfileFactory(**profile_fields).user


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    kind = Organization.Kind.UN_ENTITY


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A published consultation open for registration, a month from now, online, 10 seats."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    review = factory.SubFactory(RegionalReviewFactory)
    thematic_area = factory.LazyFunction(lambda: ThematicArea.objects.get(number=4))
    title_en = factory.Sequence(lambda n: f"Consultation {n}")
    title_fr = factory.Sequence(lambda n: f"Consultation FR {n}")
    title_ar = factory.Sequence(lambda n: f"مشاورة {n}")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    summary_en = "<p>What the consultation is about.</p>"
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    time_zone = "GMT"
    format = Consultation.Format.ONLINE
    interpretation_languages = factory.LazyFunction(lambda: ["ar", "en", "fr"])
    meeting_link = "https://meet.example.org/secret-room-42"
    capacity = 10
    status = Consultation.Status.OPEN
    is_published = True

    @factory.post_generation
    def objectives(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.objectives.set(extracted)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    consultation = factory.SubFactory(ConsultationFactory)
    order = factory.Sequence(lambda n: n)
    starts_at = factory.LazyAttribute(lambda o: o.consultation.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.consultation.starts_at + timedelta(minutes=15))
    title_en = factory.Sequence(lambda n: f"Session {n}")


class GuidingQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidingQuestion

    consultation = factory.SubFactory(ConsultationFactory)
    order = factory.Sequence(lambda n: n)
    text_en = factory.Sequence(lambda n: f"Question {n}?")


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A row written directly (not through the service): for read-side tests."""

    class Meta:
        model = Registration

    consultation = factory.SubFactory(ConsultationFactory)
    user = factory.LazyFunction(participant)
    status = Registration.Status.CONFIRMED
    region_key = "africa"
    gender = "woman"
    stakeholder_group_key = "civil_society"
    confirmed_at = factory.LazyFunction(timezone.now)
    waitlisted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Registration.Status.WAITLISTED else None
    )


class KeyMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyMessage
        skip_postgeneration_save = True

    consultation = factory.SubFactory(ConsultationFactory)
    kind = KeyMessage.Kind.RECOMMENDATIONS
    text_en = factory.Sequence(lambda n: f"Key message {n} in English")
    original_language = "en"

    @factory.post_generation
    def objectives(obj, create, extracted, **kwargs):
        if create:
            obj.objectives.set(Objective.objects.filter(number__in=extracted or [17]))


def team_member(review, role=ReviewMembership.Role.ORGANIZER, *, admin_permissions: bool = False):
    """A staff member of `review` in `role` (with a profile, as on the site); with every consultations model
    permission when `admin_permissions`, for the admin."""
    staff = StaffUserFactory()
    ProfileFactory(user=staff)
    ReviewMembership.objects.create(review=review, user=staff, role=role)
    if admin_permissions:
        staff.user_permissions.set(Permission.objects.filter(content_type__app_label="consultations"))
    return staff
