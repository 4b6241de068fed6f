"""Written inputs: the review sub-page, the form, and the coverage matrix's columns."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pledges.models import SubmissionStatus, WrittenInput
from reviews.coverage import build_matrix, registered_columns
from tests.factories import RegionalReviewFactory, objective, stakeholder_group
from tests.pledges.factories import LONG_TEXT_EN, PledgeFactory, WrittenInputFactory, member_of

pytestmark = pytest.mark.django_db


def test_inputs_page_lists_published_inputs_with_filters(client):
    review = RegionalReviewFactory()
    WrittenInputFactory(review=review, title_en="On data", objectives=[objective(1)])
    WrittenInputFactory(
        review=review, title_en="From academia", stakeholder_group=stakeholder_group("academia")
    )
    WrittenInputFactory(
        review=review, title_en="Still a draft", status=SubmissionStatus.DRAFT, published_at=None
    )
    WrittenInputFactory(title_en="Another review's input")

    def titles(query=""):
        page = client.get(f"/en/reviews/{review.slug}/inputs/?{query}").context["page"]
        return sorted(item.title_en for item in page.object_list)

    assert titles() == ["From academia", "On data"]
    assert titles("objective=1") == ["On data"]
    assert titles("group=academia") == ["From academia"]


def test_inputs_page_query_count_is_constant(client):
    review = RegionalReviewFactory()
    WrittenInputFactory(review=review)
    url = f"/en/reviews/{review.slug}/inputs/"
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(2, 9):
        WrittenInputFactory(review=review, objectives=[objective(number), objective(number + 1)])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


def test_unpublished_review_has_no_inputs_page(client):
    review = RegionalReviewFactory(is_published=False)
    assert client.get(f"/en/reviews/{review.slug}/inputs/").status_code == 404


def test_send_a_written_input_in_arabic(client):
    review = RegionalReviewFactory()
    author = member_of()
    client.force_login(author)
    response = client.post(
        f"/ar/reviews/{review.slug}/inputs/new/",
        {
            "original_language": "en",
            "title": "Protecting migrant domestic workers",
            "stakeholder_group": stakeholder_group("trade_unions").pk,
            "objectives": [objective(6).pk],
            "text": LONG_TEXT_EN,
            "send_to_secretariat": "1",
        },
    )
    assert response.status_code == 302
    written = WrittenInput.objects.get()
    assert written.status == SubmissionStatus.SUBMITTED and written.review == review
    assert written.stakeholder_group.key == "trade_unions" and written.title_en


def test_input_edit_owner_other_anonymous(client):
    written = WrittenInputFactory(status=SubmissionStatus.DRAFT, published_at=None)
    url = f"/en/inputs/{written.pk}/edit/"
    assert client.get(url).status_code == 302
    client.force_login(member_of())
    assert client.get(url).status_code == 404
    client.force_login(member_of(written.organization))
    assert client.get(url).status_code == 200


def test_coverage_columns_count_published_items_per_objective():
    review = RegionalReviewFactory()
    PledgeFactory(objectives=[objective(6), objective(17)]).reviews.add(review)
    PledgeFactory(objectives=[objective(6)]).reviews.add(review)
    PledgeFactory(objectives=[objective(6)])  # not related to the review
    PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None, objectives=[objective(6)]).reviews.add(
        review
    )
    WrittenInputFactory(review=review, objectives=[objective(17)])
    keys = [column.key for column in registered_columns()]
    assert "pledges" in keys and "written_inputs" in keys
    columns = {c.key: c for c in registered_columns()}
    assert columns["pledges"].count_by_objective(review=review) == {6: 2, 17: 1}
    assert columns["written_inputs"].count_by_objective(review=review) == {17: 1}
    matrix = build_matrix(review=review)
    index = [c.key for c in matrix.columns].index("pledges")
    row = next(r for g in matrix.groups for r in g.rows if r.objective.number == 6)
    assert row.counts[index] == 2
