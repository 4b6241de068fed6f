"""CSV and JSON exports and the read-only API: published items only, never private fields."""

import csv
import io
import json

import pytest
from django.utils import timezone

from consultations.models import Consultation
from pledges.models import SubmissionStatus
from pledges.views import csv_cell
from reviews.models import GuidingPrinciple, PledgeForm, Region
from tests.factories import RegionalReviewFactory, ReviewEventFactory, objective
from tests.pledges.factories import (
    OrganizationFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    WrittenInputFactory,
)
from tests.pledges.helpers import counted_get

pytestmark = pytest.mark.django_db

PRIVATE = (
    "Private Contact Person",
    "private.contact@example.org",
    "contact_name",
    "contact_email",
    "decision_reason",
)


def assert_nothing_private(text: str):
    for marker in PRIVATE:
        assert marker not in text, marker


@pytest.fixture
def pledges():
    public = PledgeFactory(title_en='=HYPERLINK("http://evil")', objectives=[objective(6)])
    ProgressUpdateFactory(pledge=public, narrative="Half way there")
    PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None, title_en="Draft never exported")
    PledgeFactory(title_en="Other objective", objectives=[objective(1)])
    return public


def test_csv_cells_are_safe_from_formula_injection():
    assert csv_cell("=SUM(A1)") == "'=SUM(A1)"
    assert csv_cell("+1") == "'+1" and csv_cell("-1") == "'-1" and csv_cell("@cmd") == "'@cmd"
    assert csv_cell("\tx") == "'\tx"
    assert csv_cell("Plain") == "Plain" and csv_cell(None) == "" and csv_cell([1, 2]) == "1; 2"


def test_csv_export(client, pledges):
    response = client.get("/fr/pledges/export.csv?objective=6")
    assert response["Content-Disposition"] == 'attachment; filename="gcm-pledges-fr.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert_nothing_private(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["title_language"] == "en" and rows[0]["objectives"] == "6"
    assert rows[0]["traffic_light"] == "on_track"


def test_json_export(client, pledges):
    response = client.get("/en/pledges/export.json")
    data = json.loads(response.content)
    assert data["count"] == 2
    assert {row["title"] for row in data["results"]} == {pledges.title_en, "Other objective"}
    assert_nothing_private(response.content.decode())
    row = next(r for r in data["results"] if r["id"] == pledges.pk)
    assert row["progress_updates"][0]["narrative"] == "Half way there"


def test_api_pledges_are_published_only_and_private_free(client, pledges):
    response = client.get("/api/pledges/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert_nothing_private(response.content.decode())
    item = next(r for r in data["results"] if r["id"] == pledges.pk)
    assert item["title"] == {"en": pledges.title_en}
    assert item["objectives"] == [6] and item["traffic_light"] == "on_track"
    assert item["organization"]["name"] == pledges.organization.name
    assert client.get("/api/pledges/?objective=1").json()["count"] == 1
    draft = PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None)
    assert client.get(f"/api/pledges/{draft.pk}/").status_code == 404


def add_related_pledges(count: int) -> None:
    """Published pledges that fill every relation an export or API row shows, plus a draft."""
    forms = list(PledgeForm.objects.all())
    regions = list(Region.objects.all())
    review = RegionalReviewFactory()
    for number in range(2, 2 + count):
        pledge = PledgeFactory(
            objectives=[objective(number), objective(number + 1)],
            form=forms[number % len(forms)],
            organization=OrganizationFactory(),
        )
        pledge.regions.set([regions[number % len(regions)]])
        pledge.reviews.add(review)
        pledge.partner_organizations.add(OrganizationFactory())
        pledge.principles.set(GuidingPrinciple.objects.all()[:2])
        ProgressUpdateFactory(pledge=pledge)
        ProgressUpdateFactory(pledge=pledge, narrative="Second update")
    PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None)


def csv_rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_export_query_count_is_constant(client):
    PledgeFactory()
    one = counted_get(client, "/en/pledges/export.csv")
    assert one.response.status_code == 200 and len(csv_rows(one.body)) == 1
    add_related_pledges(8)
    many = counted_get(client, "/en/pledges/export.csv")
    assert many.response.status_code == 200
    rows = csv_rows(many.body)
    assert len(rows) == 9
    assert all(row["partner_organizations"] and row["reviews"] for row in rows[:8])
    assert many.queries == one.queries


def test_json_export_query_count_is_constant(client):
    PledgeFactory()
    one = counted_get(client, "/en/pledges/export.json")
    assert one.response.status_code == 200 and json.loads(one.body)["count"] == 1
    add_related_pledges(8)
    many = counted_get(client, "/en/pledges/export.json")
    assert many.response.status_code == 200
    data = json.loads(many.body)
    assert data["count"] == len(data["results"]) == 9
    assert sum(len(row["progress_updates"]) for row in data["results"]) == 16
    assert many.queries == one.queries


def test_api_list_query_count_is_constant(client):
    PledgeFactory()
    one = counted_get(client, "/api/pledges/")
    assert one.response.status_code == 200 and one.response.json()["count"] == 1
    add_related_pledges(8)
    many = counted_get(client, "/api/pledges/")
    assert many.response.status_code == 200
    data = many.response.json()
    assert data["count"] == len(data["results"]) == 9
    assert sum(len(item["progress_updates"]) for item in data["results"]) == 16
    assert all(item["partner_organizations"] for item in data["results"][:8])
    assert many.queries == one.queries


def test_api_written_inputs_query_count_is_constant(client):
    WrittenInputFactory()
    one = counted_get(client, "/api/written-inputs/")
    assert one.response.status_code == 200 and one.response.json()["count"] == 1
    for number in range(2, 9):
        WrittenInputFactory(
            objectives=[objective(number), objective(number + 1)], organization=OrganizationFactory()
        )
    many = counted_get(client, "/api/written-inputs/")
    assert many.response.status_code == 200 and many.response.json()["count"] == 8
    assert many.queries == one.queries


def test_api_reviews_events_consultations_published_only(client):
    review = RegionalReviewFactory(slug="arab-2024")
    RegionalReviewFactory(slug="hidden", is_published=False)
    ReviewEventFactory(review=review, title_en="GCM Talk")
    now = timezone.now()
    Consultation.objects.create(
        review=review,
        title_en="Labour migration",
        slug="labour",
        starts_at=now,
        ends_at=now + timezone.timedelta(hours=2),
        meeting_link="https://meet.example.org/secret",
        is_published=True,
        status=Consultation.Status.OPEN,
    )
    Consultation.objects.create(
        review=review,
        title_en="Published flag set, still a draft",
        slug="flagged-draft",
        starts_at=now,
        ends_at=now + timezone.timedelta(hours=2),
        is_published=True,
        status=Consultation.Status.DRAFT,
    )
    Consultation.objects.create(
        review=review,
        title_en="Unpublished",
        slug="draft",
        starts_at=now,
        ends_at=now + timezone.timedelta(hours=2),
    )
    reviews = client.get("/api/reviews/").json()
    assert [r["slug"] for r in reviews["results"]] == ["arab-2024"]
    assert client.get("/api/reviews/hidden/").status_code == 404
    events = client.get("/api/events/?review=arab-2024").json()
    assert [e["title"]["en"] for e in events["results"]] == ["GCM Talk"]
    response = client.get("/api/consultations/")
    assert [c["slug"] for c in response.json()["results"]] == ["labour"]
    assert (
        "meet.example.org" not in response.content.decode()
        and "meeting_link" not in response.content.decode()
    )


def test_api_written_inputs(client):
    WrittenInputFactory(title_en="Published input")
    WrittenInputFactory(status=SubmissionStatus.SUBMITTED, published_at=None, title_en="Waiting input")
    data = client.get("/api/written-inputs/").json()
    assert [r["title"]["en"] for r in data["results"]] == ["Published input"]


def test_schema_and_docs(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    body = schema.content.decode()
    assert "/api/pledges/" in body and "/api/consultations/" in body and "contact_email" not in body
    docs = client.get("/api/docs/", HTTP_ACCEPT_LANGUAGE="fr")
    assert docs.status_code == 200 and "/api/pledges/" in docs.content.decode()
