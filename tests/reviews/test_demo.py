import io
import re

import pytest
import yaml

from gcm_portal.demo import reviews as demo
from gcm_portal.models import AuditEntry
from reviews.models import RegionalReview, ReviewEvent
from stakeholders.models import EventOrganizer, Organization, ReviewOrganization

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    demo.load(stdout=io.StringIO())
    return RegionalReview.objects.get(slug="arab-region-round-2")


def _yaml_titles() -> list[str]:
    data = yaml.safe_load((demo.DATA / "arab_review_2024.yaml").read_text(encoding="utf-8"))
    return [item["title"]["en"] for phase in data["timeline"].values() for item in phase]


def test_the_arab_review_has_its_18_events_in_three_languages(loaded):
    assert loaded.is_published and loaded.round == 2 and loaded.region.key == "arab"
    events = list(loaded.events.all())
    assert len(events) == 18
    # Date order is the road map's own order.
    assert [e.title_en for e in events] == _yaml_titles()
    for event in events:
        assert event.title_ar and event.title_en and event.title_fr, event.title_en
        assert event.translation_status == {"ar": "seed", "en": "working", "fr": "working"}
    assert sum(e.is_closed for e in events) == 4
    assert [c.code for c in loaded.champion_countries] == ["EG", "IQ", "MA"]
    assert loaded.conference_display == "3–4 July 2024"
    assert loaded.outcome_deadline_display == "September 2024"
    assert len(loaded.review_objectives) == 5 and all(item["fr"] for item in loaded.review_objectives)


def test_organizers_are_organizations(loaded):
    organizers = ReviewOrganization.objects.filter(review=loaded, role="organizer").order_by("order")
    assert [link.organization.acronym for link in organizers] == ["IOM", "ESCWA", "LAS"]
    egypt = Organization.objects.get(kind="member_state", country="EG")
    assert egypt.name_ar == "مصر"
    champions = ReviewEvent.objects.get(review=loaded, kind="champion_countries")
    assert [o.organization.country.code for o in champions.organizer_links.all()] == ["MA", "SV"]
    assert not EventOrganizer.objects.filter(organization__isnull=True).exists()
    africa = RegionalReview.objects.get(region__key="africa", round=1)
    assert [link.organization.acronym for link in africa.organization_links.order_by("order")] == [
        "IOM",
        "UNECA",
        "AUC",
    ]
    assert africa.is_published


def test_loading_again_changes_nothing(loaded):
    counts = (
        ReviewEvent.objects.count(),
        Organization.objects.count(),
        EventOrganizer.objects.count(),
        ReviewOrganization.objects.count(),
        AuditEntry.objects.count(),
    )
    demo.load(stdout=io.StringIO())
    assert (
        ReviewEvent.objects.count(),
        Organization.objects.count(),
        EventOrganizer.objects.count(),
        ReviewOrganization.objects.count(),
        AuditEntry.objects.count(),
    ) == counts


def test_loading_again_keeps_a_verified_translation(loaded):
    event = loaded.events.first()
    event.translation_status = event.translation_status | {"fr": "verified"}
    event.save()
    demo.load(stdout=io.StringIO())
    event.refresh_from_db()
    assert event.translation_status["fr"] == "verified"


@pytest.mark.parametrize(
    ("lang", "first_date", "closed_label"),
    [
        ("en", "September 2022", "Closed (invitation only)"),
        ("fr", "septembre 2022", "Fermé (sur invitation)"),
        ("ar", "سبتمبر 2022", "مغلق (بدعوة فقط)"),
    ],
)
def test_the_review_page_shows_the_full_timeline_in_each_language(
    client, loaded, lang, first_date, closed_label
):
    html = client.get(f"/{lang}/reviews/{loaded.slug}/").content.decode()
    assert len(re.findall(r'<h4 class="event-title"[^>]*>', html)) == 18
    assert re.findall(r"<time [^>]*>(.*?)</time>", html)[0] == first_date
    assert html.count(f'<span class="badge badge-closed">{closed_label}</span>') == 4


def test_the_coverage_matrix_shows_what_the_timeline_touches(client, loaded):
    html = client.get(f"/en/reviews/{loaded.slug}/coverage/").content.decode()
    covered = re.findall(r'<tr class="is-covered">\s*<th scope="row"><a href="/en/objectives/(\d+)/"', html)
    assert sorted(map(int, covered)) == [8, 17, 21]
    assert "20 objectives not covered" in html
