"""Factories for pledges and written inputs. Reference data (objectives, forms, groups) is fetched."""

import datetime

import factory
from django.utils import timezone

from pledges.models import Pledge, ProgressUpdate, SubmissionStatus, WrittenInput
from reviews.models import PledgeForm
from stakeholders.models import Organization, StakeholderProfile
from tests.factories import RegionalReviewFactory, UserFactory, objective, stakeholder_group

LONG_TEXT_EN = (
    "The Ministry commits to open three one-stop centres for migrant workers, where they receive information "
    "on their rights, legal assistance and referral to services in their language, and to train two hundred "
    "labour inspectors on fair recruitment, with yearly public reporting on the number of people served."
)
LONG_TEXT_FR = (
    "Le ministère s'engage à ouvrir trois guichets uniques pour les travailleurs migrants, où ils reçoivent "
    "une information sur leurs droits, une assistance juridique et une orientation vers les services dans "
    "leur langue, et à former deux cents inspecteurs du travail au recrutement équitable, avec un rapport public."
)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_en = factory.Sequence(lambda n: f"Migrant Rights Network {n}")
    name_fr = factory.Sequence(lambda n: f"Réseau pour les droits des migrants {n}")
    name_ar = factory.Sequence(lambda n: f"شبكة حقوق المهاجرين {n}")
    acronym = factory.Sequence(lambda n: f"MRN{n}")
    kind = Organization.Kind.STAKEHOLDER
    country = "MA"


class ProfileFactory(factory.django.DjangoModelFactory):
    """A member of an organization the secretariat has confirmed; `unconfirmed=True` for a person who only
    named it in their profile."""

    class Meta:
        model = StakeholderProfile

    class Params:
        unconfirmed = factory.Trait(organization_confirmed_at=None)

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Salma Member {n}")
    organization = factory.SubFactory(OrganizationFactory)
    organization_confirmed_at = factory.Maybe(
        "organization", yes_declaration=factory.LazyFunction(timezone.now), no_declaration=None
    )
    stakeholder_group = factory.LazyFunction(lambda: stakeholder_group("civil_society"))
    country = "MA"
    gender = StakeholderProfile.Gender.WOMAN
    preferred_language = "en"


def member_of(organization: Organization | None = None, **kwargs):
    """A user whose profile names `organization` (a new one if not given), confirmed by the secretariat."""
    extra = {"organization": organization} if organization is not None else {}
    return ProfileFactory(**extra, **kwargs).user


def unconfirmed_member_of(organization: Organization | None = None, **kwargs):
    """A user whose profile names `organization` without the secretariat's confirmation (yet)."""
    return member_of(organization, unconfirmed=True, **kwargs)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    original_language = "en"
    title_en = factory.Sequence(lambda n: f"One-stop centres for migrant workers {n}")
    description_en = LONG_TEXT_EN
    form = factory.LazyFunction(lambda: PledgeForm.objects.get(key="process"))
    indicator = "Number of migrant workers served by the centres"
    baseline = "0"
    target = "30,000 people a year"
    start_date = datetime.date(2024, 1, 1)
    end_date = datetime.date(2099, 12, 31)
    contact_name = "Private Contact Person"
    contact_email = "private.contact@example.org"
    status = SubmissionStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    translation_status = factory.LazyAttribute(lambda o: {o.original_language: "official"})

    @factory.post_generation
    def objectives(obj, create, extracted, **kwargs):
        if create:
            obj.objectives.set(extracted if extracted is not None else [objective(6)])


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    pledge = factory.SubFactory(PledgeFactory)
    date = factory.LazyFunction(timezone.localdate)
    implementation_status = "in_progress"
    narrative = "The first centre opened in Casablanca."


class WrittenInputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WrittenInput
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    review = factory.SubFactory(RegionalReviewFactory)
    stakeholder_group = factory.LazyFunction(lambda: stakeholder_group("civil_society"))
    original_language = "en"
    title_en = factory.Sequence(lambda n: f"Input on labour migration {n}")
    text_en = LONG_TEXT_EN
    status = SubmissionStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def objectives(obj, create, extracted, **kwargs):
        if create:
            obj.objectives.set(extracted if extracted is not None else [objective(6)])
