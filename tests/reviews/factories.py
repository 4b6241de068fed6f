"""Factories for the reviews tests (the shared review and event factories live in tests/factories.py)."""

import factory

from reviews.models import ReviewMembership
from stakeholders.models import EventOrganizer, Organization, ReviewOrganization
from tests.factories import RegionalReviewFactory, ReviewEventFactory, StaffUserFactory


class ReviewMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewMembership

    review = factory.SubFactory(RegionalReviewFactory)
    user = factory.SubFactory(StaffUserFactory)
    role = ReviewMembership.Role.SECRETARIAT


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_en = factory.Sequence(lambda n: f"Organization {n}")
    name_ar = factory.Sequence(lambda n: f"منظمة {n}")
    name_fr = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    kind = Organization.Kind.UN_ENTITY


class ReviewOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewOrganization

    review = factory.SubFactory(RegionalReviewFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = ReviewOrganization.Role.ORGANIZER


class EventOrganizerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventOrganizer

    event = factory.SubFactory(ReviewEventFactory)
    organization = factory.SubFactory(OrganizationFactory)
