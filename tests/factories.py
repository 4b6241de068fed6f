"""Factories for the foundation models. App-specific factories live in tests/<app>/factories.py."""

import factory
from django.contrib.auth import get_user_model

from reviews.models import Objective, Region, RegionalReview, ReviewEvent, StakeholderGroup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffUserFactory(UserFactory):
    is_staff = True
    username = factory.Sequence(lambda n: f"staff{n}")


def objective(number: int) -> Objective:
    """Reference objectives are loaded by migration: fetch, never create."""
    return Objective.objects.get(number=number)


def region(key: str = "arab") -> Region:
    return Region.objects.get(key=key)


def stakeholder_group(key: str = "civil_society") -> StakeholderGroup:
    return StakeholderGroup.objects.get(key=key)


class RegionalReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalReview

    region = factory.LazyFunction(lambda: Region.objects.get(key="arab"))
    round = factory.Sequence(lambda n: n + 10)
    title_en = factory.Sequence(lambda n: f"Regional review {n}")
    title_ar = factory.Sequence(lambda n: f"الاستعراض الإقليمي {n}")
    title_fr = factory.Sequence(lambda n: f"Examen régional {n}")
    slug = factory.Sequence(lambda n: f"review-{n}")
    is_published = True
    status = RegionalReview.Status.PREPARATORY


class ReviewEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewEvent

    review = factory.SubFactory(RegionalReviewFactory)
    title_en = factory.Sequence(lambda n: f"Event {n}")
    title_ar = factory.Sequence(lambda n: f"فعالية {n}")
    title_fr = factory.Sequence(lambda n: f"Événement {n}")
    date_start = factory.Faker("date_between", start_date="-2y", end_date="+1y")
    date_precision = ReviewEvent.Precision.DAY
