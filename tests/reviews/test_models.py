import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reviews.models import ReviewEvent
from tests.factories import RegionalReviewFactory, ReviewEventFactory

pytestmark = pytest.mark.django_db

D = datetime.date
P = ReviewEvent.Precision


def test_events_sort_across_precisions_by_their_last_possible_day():
    review = RegionalReviewFactory()
    made = {
        "h2_2024": ReviewEventFactory(review=review, date_start=D(2024, 7, 1), date_precision=P.HALF_YEAR),
        "oct_2024": ReviewEventFactory(review=review, date_start=D(2024, 10, 1), date_precision=P.MONTH),
        "conference": ReviewEventFactory(
            review=review, date_start=D(2024, 7, 3), date_end=D(2024, 7, 4), date_precision=P.RANGE
        ),
        "jul_2024": ReviewEventFactory(review=review, date_start=D(2024, 7, 1), date_precision=P.MONTH),
        "hearing": ReviewEventFactory(review=review, date_start=D(2024, 7, 2), date_precision=P.DAY),
        "h1_2024": ReviewEventFactory(review=review, date_start=D(2024, 1, 1), date_precision=P.HALF_YEAR),
        "may_2024": ReviewEventFactory(review=review, date_start=D(2024, 5, 1), date_precision=P.MONTH),
        "jul_31": ReviewEventFactory(review=review, date_start=D(2024, 7, 31), date_precision=P.DAY),
    }
    names = {event.pk: name for name, event in made.items()}
    ordered = [names[pk] for pk in ReviewEvent.objects.filter(review=review).values_list("pk", flat=True)]
    assert ordered == [
        "may_2024",
        "h1_2024",
        "hearing",
        "conference",
        "jul_2024",
        "jul_31",
        "oct_2024",
        "h2_2024",
    ]


def test_same_period_events_keep_their_order_field():
    review = RegionalReviewFactory()
    second = ReviewEventFactory(review=review, date_start=D(2023, 7, 1), date_precision=P.MONTH, order=2)
    first = ReviewEventFactory(review=review, date_start=D(2023, 7, 1), date_precision=P.MONTH, order=1)
    assert list(ReviewEvent.objects.filter(review=review)) == [first, second]


def test_the_sort_date_follows_a_changed_date():
    event = ReviewEventFactory(date_start=D(2024, 7, 1), date_precision=P.MONTH)
    assert event.date_sort == D(2024, 7, 31)
    event.date_precision = P.HALF_YEAR
    event.save(update_fields=["date_precision"])
    event.refresh_from_db()
    assert event.date_sort == D(2024, 12, 31)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"date_start": D(2024, 7, 4), "date_end": D(2024, 7, 3), "date_precision": P.RANGE},
            "date_end",
            "The last day cannot be before the first day.",
        ),
        (
            {"date_start": D(2023, 7, 15), "date_precision": P.MONTH},
            "date_start",
            "A date known only to the month cannot name a day",
        ),
        (
            {"date_start": D(2024, 3, 1), "date_precision": P.HALF_YEAR},
            "date_start",
            "1 January (first half) or 1 July (second half)",
        ),
        (
            {"date_start": D(2024, 7, 3), "date_precision": P.RANGE},
            "date_end",
            "A range of days needs a last day.",
        ),
        (
            {"date_start": D(2024, 7, 3), "date_end": D(2024, 7, 5), "date_precision": P.DAY},
            "date_end",
            "Only a range of days has a last day",
        ),
    ],
)
def test_clean_rejects_impossible_dates_with_a_clear_message(fields, field, message):
    event = ReviewEvent(
        review=RegionalReviewFactory(), title_en="Meeting", kind=ReviewEvent.Kind.OTHER, **fields
    )
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    assert any(message in text for text in caught.value.message_dict[field])


def test_the_database_refuses_an_end_before_the_start():
    event = ReviewEventFactory(date_start=D(2024, 7, 4))
    event.date_end = D(2024, 7, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_review_clean_rejects_an_end_before_the_start_and_a_day_on_the_deadline():
    review = RegionalReviewFactory.build(
        region=RegionalReviewFactory().region,
        conference_start=D(2024, 7, 4),
        conference_end=D(2024, 7, 3),
        outcome_deadline=D(2024, 9, 15),
    )
    with pytest.raises(ValidationError) as caught:
        review.clean()
    assert caught.value.message_dict["conference_end"] == ["The conference cannot end before it starts."]
    assert "known to the month" in caught.value.message_dict["outcome_deadline"][0]


def test_review_shows_its_dates_at_their_precision():
    review = RegionalReviewFactory(
        conference_start=D(2024, 7, 3), conference_end=D(2024, 7, 4), outcome_deadline=D(2024, 9, 1)
    )
    assert review.conference_display == "3–4 July 2024"
    assert review.outcome_deadline_display == "September 2024"


def test_review_objectives_fall_back_to_english():
    review = RegionalReviewFactory(
        review_objectives=[{"en": "Take stock", "fr": "Faire le point"}, {"en": "Share"}]
    )
    assert review.review_objectives_in("fr") == ["Faire le point", "Share"]
    assert review.review_objectives_in("ar") == ["Take stock", "Share"]
