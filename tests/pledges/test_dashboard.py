"""The public dashboard: its numbers are the database's, in constant queries, cached and invalidated."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pledges.cache import bump_dashboard_version
from pledges.models import Pledge, SubmissionStatus
from pledges.traffic_light import with_traffic_light
from reviews.models import Objective, PledgeForm, Region
from stakeholders.models import Organization
from tests.factories import objective
from tests.pledges.factories import OrganizationFactory, PledgeFactory
from tests.pledges.helpers import counted_get

pytestmark = pytest.mark.django_db


def make_pledges():
    state = OrganizationFactory(kind=Organization.Kind.MEMBER_STATE, country="MA", name_en="Morocco")
    un = OrganizationFactory(kind=Organization.Kind.UN_ENTITY, name_en="IOM", country="")
    PledgeFactory(
        organization=state,
        objectives=[objective(5), objective(6)],
        amount=1000,
        currency="USD",
        form=PledgeForm.objects.get(key="financial"),
    ).regions.set([Region.objects.get(key="arab")])
    PledgeFactory(organization=state, objectives=[objective(6)])
    PledgeFactory(
        organization=un,
        objectives=[objective(23)],
        implementation_status="fulfilled",
        last_progress_on=timezone.localdate(),
    )
    PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None, objectives=[objective(6)])
    PledgeFactory(status=SubmissionStatus.SUBMITTED, published_at=None, organization=un)


def chart(response, key):
    return next(c for c in response.context["charts"] if c["key"] == key)


def test_dashboard_numbers_equal_database_counts(client):
    make_pledges()
    response = client.get("/en/pledges/")
    published = Pledge.objects.filter(status=SubmissionStatus.PUBLISHED)
    totals = response.context["totals"]
    assert totals["pledges"] == published.count() == 3
    assert totals["organizations"] == published.values("organization").distinct().count() == 2
    assert totals["member_states"] == 1
    assert totals["fulfilled"] == 1
    objectives = {row["label"].split(".")[0]: row["value"] for row in chart(response, "objective")["rows"]}
    assert len(objectives) == 23 == Objective.objects.count()
    for number, value in objectives.items():
        assert value == published.filter(objectives__number=int(number)).count(), number
    forms = {row["url"].split("=")[-1]: row["value"] for row in chart(response, "form")["rows"]}
    assert forms == {f.key: published.filter(form=f).count() for f in PledgeForm.objects.all()}
    regions = {row["url"].split("=")[-1]: row["value"] for row in chart(response, "region")["rows"]}
    assert regions == {r.key: published.filter(regions=r).count() for r in Region.objects.all()}
    lights = {row["url"].split("=")[-1]: row["value"] for row in chart(response, "progress")["rows"]}
    in_db = with_traffic_light(published, today=timezone.localdate())
    assert lights == {light: in_db.filter(light=light).count() for light in lights}
    kinds = {row["url"].split("=")[-1]: row["value"] for row in chart(response, "kind")["rows"]}
    assert kinds["member_state"] == 2 and kinds["un_entity"] == 1 and sum(kinds.values()) == 3
    assert response.context["amounts"][0]["currency"] == "USD"


@pytest.mark.parametrize("language", ["ar", "en", "fr"])
def test_dashboard_renders_charts_with_text_alternatives_in_each_language(client, language):
    make_pledges()
    html = client.get(f"/{language}/pledges/").content.decode()
    assert html.count("<svg") == 5
    assert html.count('<title id="chart-') == 5 and html.count("<desc id=") == 5
    assert html.count('<th scope="row">') >= 23 + 4 + 5 + 4 + 7
    assert 'data-total="pledges">3<' in html


def test_arabic_bars_grow_from_the_right(client):
    make_pledges()
    en = chart(client.get("/en/pledges/"), "objective")["rows"][5]
    cache.clear()
    ar = chart(client.get("/ar/pledges/"), "objective")["rows"][5]
    assert en["bar_x"] == 262 and en["value"] == ar["value"] == 2
    assert ar["bar_x"] + ar["bar_width"] == 640 - 262


def test_dashboard_query_count_does_not_grow_with_pledges(client):
    PledgeFactory()
    one = counted_get(client, "/en/pledges/")
    assert one.response.status_code == 200 and one.response.context["totals"]["pledges"] == 1
    for number in range(1, 20):
        PledgeFactory(objectives=[objective(number)], organization=OrganizationFactory())
    bump_dashboard_version()
    many = counted_get(client, "/en/pledges/")
    assert many.response.status_code == 200
    assert many.response.context["totals"]["pledges"] == 20
    assert many.response.context["totals"]["organizations"] == 20
    assert many.queries == one.queries > 0


def test_dashboard_is_cached_per_language_and_invalidated_on_pledge_change(
    client, django_capture_on_commit_callbacks
):
    PledgeFactory()
    client.get("/en/pledges/")
    with CaptureQueriesContext(connection) as cached:
        response = client.get("/en/pledges/")
    assert response.context["totals"]["pledges"] == 1
    assert len(cached) == 0
    with django_capture_on_commit_callbacks(execute=True):
        PledgeFactory()
    assert client.get("/en/pledges/").context["totals"]["pledges"] == 2
    assert client.get("/fr/pledges/").context["totals"]["pledges"] == 2
