"""Written inputs: the review sub-page, the form, and the coverage matrix's columns."""

import pytest

from pledges.models import SubmissionStatus, WrittenInput
from reviews.coverage import build_matrix, registered_columns
from tests.factories import RegionalReviewFactory, objective, stakeholder_group
from tests.pledges.factories import (
    LONG_TEXT_EN,
    PledgeFactory,
    WrittenInputFactory,
    member_of,
    unconfirmed_member_of,
)
from tests.pledges.helpers import counted_get

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
    one = counted_get(client, url)
    assert one.response.status_code == 200
    assert len(one.response.context["page"].object_list) == 1
    for number in range(2, 9):
        WrittenInputFactory(
            review=review,
            objectives=[objective(number), objective(number + 1)],
            stakeholder_group=stakeholder_group("academia" if number % 2 else "trade_unions"),
        )
    many = counted_get(client, url)
    assert many.response.status_code == 200
    assert len(many.response.context["page"].object_list) == 8
    assert many.queries == one.queries


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
    written = WrittenInputFactory(
        status=SubmissionStatus.DRAFT, published_at=None, title_en="Draft input only its owners see"
    )
    url = f"/en/inputs/{written.pk}/edit/"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/en/accounts/login/?next={url}"
    for outsider in (member_of(), unconfirmed_member_of(written.organization)):
        client.force_login(outsider)
        response = client.get(url)
        assert response.status_code == 404
        assert written.title_en not in response.content.decode()
    client.force_login(member_of(written.organization))
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["written_input"] == written
    html = response.content.decode()
    assert 'value="Draft input only its owners see"' in html and LONG_TEXT_EN in html


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
