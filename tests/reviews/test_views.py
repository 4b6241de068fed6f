import csv
import datetime
import io
import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from reviews.models import Objective, ReviewEvent
from tests.factories import RegionalReviewFactory, ReviewEventFactory, region

from .factories import EventOrganizerFactory, ReviewMembershipFactory, ReviewOrganizationFactory

pytestmark = pytest.mark.django_db

D = datetime.date
P = ReviewEvent.Precision


def url(review, suffix: str = "", lang: str = "en") -> str:
    # Explicit language prefix: reverse() would follow whatever language an earlier request left active.
    return f"/{lang}/reviews/{review.slug}/{suffix}"


def _count_queries(client, url) -> int:
    # Measures building the page: the page cache would otherwise answer the second visit with no query.
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _event_titles(html: str) -> list[str]:
    return re.findall(r'<h4 class="event-title"[^>]*>(.*?)</h4>', html)


def _dressed_event(review, **kwargs) -> ReviewEvent:
    event = ReviewEventFactory(review=review, **kwargs)
    event.objectives.set([Objective.objects.get(number=17), Objective.objects.get(number=21)])
    EventOrganizerFactory(event=event)
    EventOrganizerFactory(event=event, organization=None, name_en="Government of Qatar")
    return event


# --- list ------------------------------------------------------------------------------------------------


def test_review_list_shows_published_reviews_by_region(client):
    arab = RegionalReviewFactory(title_en="Arab review", round=2)
    RegionalReviewFactory(title_en="Africa review", region=region("africa"), round=1)
    RegionalReviewFactory(title_en="Hidden review", is_published=False)
    ReviewEventFactory(review=arab)
    html = client.get("/en/reviews/").content.decode()
    assert "Arab review" in html and "Africa review" in html
    assert "Hidden review" not in html
    assert (
        html.index("Economic Commission for Africa") < html.index("Africa review") < html.index("Arab review")
    )
    assert "1 timeline event" in html


def test_review_list_runs_a_constant_number_of_queries(client):
    ReviewOrganizationFactory(review=RegionalReviewFactory())
    one = _count_queries(client, "/en/reviews/")
    for _ in range(5):
        ReviewOrganizationFactory(review=RegionalReviewFactory())
    assert _count_queries(client, "/en/reviews/") == one


# --- review page ---------------------------------------------------------------------------------------


def test_review_page_groups_the_timeline_by_phase_in_date_order(client):
    review = RegionalReviewFactory()
    ReviewEventFactory(review=review, title_en="Conference", phase="review", date_start=D(2024, 7, 3))
    ReviewEventFactory(review=review, title_en="Talk", date_start=D(2023, 7, 1), date_precision=P.MONTH)
    ReviewEventFactory(review=review, title_en="Dialogue", date_start=D(2022, 9, 1), date_precision=P.MONTH)
    html = client.get(url(review)).content.decode()
    assert _event_titles(html) == ["Dialogue", "Talk", "Conference"]
    assert re.findall(r'<h3 class="phase-heading">(.*?)</h3>', html) == ["Preparatory process", "Review"]
    assert html.index('phase-heading">Review<') < html.index('event-title">Conference<')
    assert html.index('event-title">Talk<') < html.index('phase-heading">Review<')
    assert '<time datetime="2023-07">July 2023</time>' in html
    assert '<time datetime="2024-07-03">3 July 2024</time>' in html


def test_review_page_shows_organizers_objectives_and_closed_events(client):
    review = RegionalReviewFactory(champion_countries=["EG", "MA"], purpose="Why we meet")
    ReviewOrganizationFactory(
        review=review,
        organization__acronym="IOM",
        organization__name_en="International Organization for Migration",
    )
    _dressed_event(review, title_en="Closed talk", is_closed=True)
    html = client.get(url(review)).content.decode()
    assert "International Organization for Migration (IOM)" in html
    assert "Egypt" in html and "Morocco" in html
    assert "Government of Qatar" in html
    assert 'href="/en/objectives/17/"' in html
    assert html.count("badge badge-closed") == 1
    assert 'class="timeline-event is-closed"' in html


def test_review_page_escapes_what_staff_typed(client):
    review = RegionalReviewFactory(title_en="<script>alert(1)</script>")
    ReviewEventFactory(review=review, title_en="<b>bold</b>")
    html = client.get(url(review)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_review_page_queries_do_not_grow_with_events(client):
    small = RegionalReviewFactory()
    large = RegionalReviewFactory()
    for index in range(3):
        _dressed_event(small, date_start=D(2024, 1, 1) + datetime.timedelta(days=index))
    for index in range(50):
        _dressed_event(
            large, date_start=D(2024, 1, 1) + datetime.timedelta(days=index), is_closed=index % 2 == 0
        )
    assert _count_queries(client, url(small)) == _count_queries(client, url(large))
    assert len(_event_titles(client.get(url(large)).content.decode())) == 50


def test_visual_timeline_has_a_bar_per_event_and_a_text_alternative(client):
    review = RegionalReviewFactory()
    ReviewEventFactory(review=review, date_start=D(2023, 7, 1), date_precision=P.MONTH)
    ReviewEventFactory(review=review, date_start=D(2024, 7, 1), date_precision=P.HALF_YEAR, is_closed=True)
    html = client.get(url(review)).content.decode()
    assert html.count('<rect class="chart-bar') == 2
    assert 'class="chart-bar is-closed is-approximate"' in html
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert "from July 2023 to December 2024" in html
    assert "style=" not in html.split("<main", 1)[1]


def test_visual_timeline_runs_right_to_left_in_arabic(client):
    review = RegionalReviewFactory()
    ReviewEventFactory(review=review, date_start=D(2023, 1, 1))
    ReviewEventFactory(review=review, date_start=D(2023, 12, 31))
    en = client.get(url(review)).content.decode()
    ar = client.get(f"/ar/reviews/{review.slug}/").content.decode()
    first_en = float(re.findall(r'<rect class="chart-bar" x="([\d.]+)"', en)[0])
    first_ar = float(re.findall(r'<rect class="chart-bar" x="([\d.]+)"', ar)[0])
    assert first_en == 0
    assert first_ar > 900


def test_unpublished_review_is_hidden_except_from_its_team(client, user):
    review = RegionalReviewFactory(is_published=False)
    assert client.get(url(review)).status_code == 404
    client.force_login(user)
    assert client.get(url(review)).status_code == 404
    member = ReviewMembershipFactory(review=review).user
    client.force_login(member)
    response = client.get(url(review))
    assert response.status_code == 200
    assert "only its team can see this preview" in response.content.decode()


def test_review_page_in_french_and_arabic(client):
    review = RegionalReviewFactory(title_fr="Examen régional", title_ar="الاستعراض الإقليمي")
    ReviewEventFactory(review=review, title_fr="Dialogue", date_start=D(2023, 7, 1), date_precision=P.MONTH)
    fr = client.get(f"/fr/reviews/{review.slug}/").content.decode()
    ar = client.get(f"/ar/reviews/{review.slug}/").content.decode()
    assert "<h1>Examen régional</h1>" in fr and "juillet 2023" in fr
    assert "<h1>الاستعراض الإقليمي</h1>" in ar and "يوليو 2023" in ar and 'dir="rtl"' in ar


# --- filters ---------------------------------------------------------------------------------------------


@pytest.fixture
def filtered_review():
    review = RegionalReviewFactory()
    talk = ReviewEventFactory(review=review, title_en="Open talk", kind="gcm_talk", date_start=D(2023, 7, 1))
    talk.objectives.set([Objective.objects.get(number=17)])
    closed = ReviewEventFactory(
        review=review, title_en="Closed talk", kind="gcm_talk", is_closed=True, date_start=D(2023, 8, 1)
    )
    closed.objectives.set([Objective.objects.get(number=21)])
    ReviewEventFactory(
        review=review, title_en="Conference", kind="review_conference", date_start=D(2024, 7, 3)
    )
    return review


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("", ["Open talk", "Closed talk", "Conference"]),
        ("?kind=gcm_talk", ["Open talk", "Closed talk"]),
        ("?kind=review_conference", ["Conference"]),
        ("?objective=17", ["Open talk"]),
        ("?objective=21&kind=gcm_talk", ["Closed talk"]),
        ("?access=closed", ["Closed talk"]),
        ("?access=open", ["Open talk", "Conference"]),
        ("?access=open&kind=gcm_talk", ["Open talk"]),
        ("?objective=5", []),
    ],
)
def test_filters_return_the_right_events(client, filtered_review, query, titles):
    html = client.get(url(filtered_review) + query).content.decode()
    assert _event_titles(html) == titles


def test_an_invalid_filter_value_is_reported_not_a_crash(client, filtered_review):
    response = client.get(url(filtered_review) + "?kind=nonsense&objective=99")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="errorlist"') == 2
    assert len(_event_titles(html)) == 3


# --- calendar and JSON -------------------------------------------------------------------------------


def test_ics_has_one_vevent_per_event_with_known_days(client):
    review = RegionalReviewFactory()
    ReviewEventFactory(review=review, title_en="Hearing", date_start=D(2024, 7, 2))
    ReviewEventFactory(
        review=review,
        title_en="Conference",
        date_start=D(2024, 7, 3),
        date_end=D(2024, 7, 4),
        date_precision=P.RANGE,
    )
    ReviewEventFactory(review=review, title_en="Talk", date_start=D(2023, 7, 1), date_precision=P.MONTH)
    ReviewEventFactory(
        review=review, title_en="Plenary", date_start=D(2024, 7, 1), date_precision=P.HALF_YEAR
    )
    response = client.get(f"/en/reviews/{review.slug}/timeline.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Hearing", "Conference"}
    assert events["Conference"].decoded("DTSTART") == D(2024, 7, 3)
    assert events["Conference"].decoded("DTEND") == D(2024, 7, 5)
    assert events["Hearing"].decoded("DTEND") == D(2024, 7, 3)
    assert len({str(e["UID"]) for e in events.values()}) == 2


def test_ics_is_in_the_requested_language(client):
    review = RegionalReviewFactory()
    ReviewEventFactory(review=review, title_fr="Audition", title_en="Hearing", date_start=D(2024, 7, 2))
    calendar = Calendar.from_ical(client.get(f"/fr/reviews/{review.slug}/timeline.ics").content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Audition"]


def test_json_export_gives_every_event_at_its_precision(client):
    review = RegionalReviewFactory()
    _dressed_event(
        review, title_en="Talk", title_fr="Causerie", date_start=D(2023, 7, 1), date_precision=P.MONTH
    )
    data = json.loads(client.get(f"/fr/reviews/{review.slug}/timeline.json").content)
    assert data["review"]["slug"] == review.slug
    [event] = data["events"]
    assert event["title"]["en"] == "Talk" and event["title"]["fr"] == "Causerie"
    assert event["date"] == {
        "precision": "month",
        "start": "2023-07-01",
        "end": None,
        "last_possible_day": "2023-07-31",
        "display": "juillet 2023",
    }
    assert event["objectives"] == [17, 21]
    assert "Government of Qatar" in event["organizers"]


def _many_dressed_events(review, count: int) -> None:
    for index in range(count):
        _dressed_event(
            review,
            date_start=D(2024, 1, 1) + datetime.timedelta(days=index),
            date_precision=P.DAY if index % 3 else P.MONTH,
            is_closed=index % 2 == 0,
        )


def test_ics_queries_do_not_grow_with_events(client):
    one = RegionalReviewFactory()
    many = RegionalReviewFactory()
    _dressed_event(one, date_start=D(2024, 1, 2))
    _many_dressed_events(many, 30)

    assert _count_queries(client, url(one, "timeline.ics")) == _count_queries(
        client, url(many, "timeline.ics")
    )
    calendar = Calendar.from_ical(client.get(url(many, "timeline.ics")).content)
    # Month-precision events have no known day and are left out of the calendar.
    assert len(calendar.walk("VEVENT")) == 20
    assert all("Organized by:" in str(event["DESCRIPTION"]) for event in calendar.walk("VEVENT"))


def test_json_export_queries_do_not_grow_with_events(client):
    one = RegionalReviewFactory()
    many = RegionalReviewFactory()
    _dressed_event(one, date_start=D(2024, 1, 2))
    _many_dressed_events(many, 30)

    assert _count_queries(client, url(one, "timeline.json")) == _count_queries(
        client, url(many, "timeline.json")
    )
    events = json.loads(client.get(url(many, "timeline.json")).content)["events"]
    assert len(events) == 30
    assert all(event["objectives"] == [17, 21] and len(event["organizers"]) == 2 for event in events)


def test_exports_of_an_unpublished_review_are_hidden(client):
    review = RegionalReviewFactory(is_published=False)
    for suffix in ("timeline.ics", "timeline.json", "coverage/", "coverage.csv"):
        assert client.get(f"/en/reviews/{review.slug}/{suffix}").status_code == 404


# --- coverage --------------------------------------------------------------------------------------------


def _coverage_review():
    review = RegionalReviewFactory()
    for numbers in ([17, 21], [17], [8]):
        event = ReviewEventFactory(review=review)
        event.objectives.set(Objective.objects.filter(number__in=numbers))
    other = ReviewEventFactory()
    other.objectives.set(Objective.objects.filter(number=1))
    return review


def test_coverage_matrix_counts_events_per_objective_and_marks_gaps(client):
    review = _coverage_review()
    html = client.get(f"/en/reviews/{review.slug}/coverage/").content.decode()
    assert html.count('<tr class="is-covered">') == 3
    assert html.count('<tr class="is-uncovered">') == 20
    assert "20 objectives not covered" in html
    assert f'href="/en/reviews/{review.slug}/?objective=17#timeline">2</a>' in html
    assert html.count('scope="rowgroup"') == 4


def test_coverage_matrix_queries_do_not_grow_with_events(client):
    review = _coverage_review()
    page = url(review, "coverage/")
    before = _count_queries(client, page)
    for _ in range(20):
        ReviewEventFactory(review=review).objectives.set(Objective.objects.filter(number__in=[2, 3]))
    assert _count_queries(client, page) == before


def test_coverage_csv_matches_the_matrix_and_neutralises_formulas(client):
    review = _coverage_review()
    seventeen = Objective.objects.get(number=17)
    seventeen.title_en = '=HYPERLINK("http://evil.example")'
    seventeen.save()
    response = client.get(f"/en/reviews/{review.slug}/coverage.csv")
    assert response["Content-Disposition"] == f'attachment; filename="{review.slug}-coverage.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Thematic area", "Thematic area title", "Objective", "Objective title"]
    assert "Timeline events" in rows[0]
    events_column = rows[0].index("Timeline events")
    by_number = {row[2]: row for row in rows[1:]}
    assert len(by_number) == 23
    assert by_number["17"][3] == '\'=HYPERLINK("http://evil.example")'
    assert by_number["17"][events_column] == "2"
    assert by_number["1"][events_column] == "0" and by_number["1"][-1] == "no"


# --- home page -------------------------------------------------------------------------------------------


def test_the_home_page_is_the_reviews_apps_view(client):
    from django.urls import resolve

    from reviews import views

    assert resolve("/en/").func is views.home
    html = client.get("/en/").content.decode()
    assert html.count('class="card thematic-area"') == 4
    assert 'href="/en/objectives/17/"' in html


def test_gcm_portal_views_do_not_depend_on_the_apps():
    from pathlib import Path

    import gcm_portal.views

    source = Path(gcm_portal.views.__file__).read_text()
    assert not re.search(
        r"^\s*(from|import) (reviews|stakeholders|consultations|pledges|reports)\b", source, re.M
    )
