import datetime

import pytest

from reviews.forms import ReviewEventForm
from reviews.models import ReviewEvent
from tests.factories import RegionalReviewFactory, ReviewEventFactory

pytestmark = pytest.mark.django_db


def _data(review, **dates):
    return {
        "review": review.pk,
        "phase": ReviewEvent.Phase.PREPARATORY,
        "kind": ReviewEvent.Kind.GCM_TALK,
        "title": "GCM Talks",
        "order": 0,
        **dates,
    }


def test_a_month_precision_date_is_saved_as_the_first_of_the_month():
    review = RegionalReviewFactory()
    form = ReviewEventForm(data=_data(review, date_precision="month", date_year=2023, date_month=7))
    assert form.is_valid(), form.errors
    event = form.save()
    assert (event.date_start, event.date_end, event.date_sort) == (
        datetime.date(2023, 7, 1),
        None,
        datetime.date(2023, 7, 31),
    )


def test_a_range_is_saved_with_both_days():
    review = RegionalReviewFactory()
    form = ReviewEventForm(
        data=_data(
            review, date_precision="range", date_year=2024, date_month=7, date_day=3, date_end="2024-07-04"
        )
    )
    assert form.is_valid(), form.errors
    event = form.save()
    assert (event.date_start, event.date_end) == (datetime.date(2024, 7, 3), datetime.date(2024, 7, 4))


def test_a_day_on_a_month_precision_date_is_rejected():
    form = ReviewEventForm(
        data=_data(RegionalReviewFactory(), date_precision="month", date_year=2023, date_month=7, date_day=15)
    )
    assert not form.is_valid()
    assert "A date known only to the month cannot name a day" in form.errors["date_day"][0]


def test_a_half_year_other_than_1_or_2_is_rejected():
    form = ReviewEventForm(
        data=_data(RegionalReviewFactory(), date_precision="half_year", date_year=2024, date_half=3)
    )
    assert not form.is_valid()
    assert form.errors["date_half"] == ["The half-year must be 1 (January–June) or 2 (July–December)."]


def test_an_end_before_the_start_is_rejected():
    form = ReviewEventForm(
        data=_data(
            RegionalReviewFactory(),
            date_precision="range",
            date_year=2024,
            date_month=7,
            date_day=4,
            date_end="2024-07-01",
        )
    )
    assert not form.is_valid()
    assert form.errors["date_end"] == ["The last day cannot be before the first day."]


def test_the_form_shows_a_stored_date_in_parts():
    half = ReviewEventForm(
        instance=ReviewEventFactory(date_start=datetime.date(2024, 7, 1), date_precision="half_year")
    )
    assert (half.initial["date_year"], half.initial["date_half"]) == (2024, 2)
    assert "date_month" not in half.initial and "date_day" not in half.initial
    day = ReviewEventForm(
        instance=ReviewEventFactory(date_start=datetime.date(2024, 7, 2), date_precision="day")
    )
    assert (day.initial["date_year"], day.initial["date_month"], day.initial["date_day"]) == (2024, 7, 2)
