"""The open-data API's review and event lists (reviews/api.py): what they list, and a number of queries that
does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.models import Objective
from tests.factories import RegionalReviewFactory, ReviewEventFactory, region

pytestmark = pytest.mark.django_db


def fetch(client, path: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response.json()


def test_review_list_gives_published_reviews_only(client):
    published = RegionalReviewFactory(champion_countries=["EG", "MA"])
    RegionalReviewFactory(is_published=False)
    _queries, data = fetch(client, "/api/reviews/")
    assert data["count"] == 1
    [row] = data["results"]
    assert row["slug"] == published.slug and row["region"] == "arab"
    assert row["title"] == {"ar": published.title_ar, "en": published.title_en, "fr": published.title_fr}
    assert row["champion_countries"] == ["EG", "MA"]


def test_review_list_queries_do_not_grow_with_reviews(client):
    RegionalReviewFactory(champion_countries=["EG"])
    one, data = fetch(client, "/api/reviews/")
    assert data["count"] == 1
    for key in ("africa", "asia_pacific", "europe", "latin_america_caribbean", "arab", "arab"):
        RegionalReviewFactory(region=region(key), champion_countries=["EG", "JO"])
    many, data = fetch(client, "/api/reviews/")
    assert data["count"] == 7 and len(data["results"]) == 7
    assert {row["region"] for row in data["results"]} >= {"africa", "europe", "arab"}
    assert many == one


def _event(review, index: int):
    event = ReviewEventFactory(
        review=review, date_start=datetime.date(2024, 1, 1) + datetime.timedelta(days=index)
    )
    event.objectives.set(Objective.objects.filter(number__in=[3, 17]))
    return event


def test_event_list_queries_do_not_grow_with_events(client):
    review = RegionalReviewFactory()
    _event(review, 0)
    one, data = fetch(client, "/api/events/")
    assert data["count"] == 1
    other = RegionalReviewFactory()
    for index in range(1, 25):
        _event(review if index % 2 else other, index)
    many, data = fetch(client, "/api/events/")
    assert data["count"] == 25 and len(data["results"]) == 25
    assert all(row["objectives"] == [3, 17] for row in data["results"])
    assert {row["review"] for row in data["results"]} == {review.slug, other.slug}
    assert many == one


def test_event_list_filtered_by_review(client):
    review = RegionalReviewFactory()
    other = RegionalReviewFactory()
    hidden = RegionalReviewFactory(is_published=False)
    mine = [_event(review, index) for index in range(3)]
    _event(other, 5)
    _event(hidden, 6)
    _queries, data = fetch(client, f"/api/events/?review={review.slug}")
    assert [row["id"] for row in data["results"]] == [event.pk for event in mine]
    _queries, data = fetch(client, f"/api/events/?review={hidden.slug}")
    assert data["count"] == 0
