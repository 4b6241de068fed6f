"""The reports admin: staff see the documents of their own reviews only, deletions are audited and need one
of MANAGING_ROLES, publishing a summary too, and renders are read-only."""

import pytest
from django.contrib.auth.models import Permission

from gcm_portal.models import AuditEntry
from reports import services
from reports.models import ConsultationSummary, OutcomeDocument, RenderedDocument
from reviews.models import ReviewMembership
from tests.factories import RegionalReviewFactory, StaffUserFactory

from .factories import ConsultationFactory, ConsultationSummaryFactory, OutcomeDocumentFactory

pytestmark = pytest.mark.django_db

ALL_PERMISSIONS = [
    f"{action}_{model}"
    for action in ("view", "add", "change", "delete")
    for model in ("outcomedocument", "consultationsummary", "rendereddocument")
]


def member(review, role, *codenames) -> object:
    user = StaffUserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reports", codename__in=codenames or ALL_PERMISSIONS
        )
    )
    ReviewMembership.objects.create(review=review, user=user, role=role)
    return user


@pytest.fixture
def two_reviews(queued_tasks):
    """Review A and review B, each with an outcome document, a summary report and a render of each."""
    rows = {}
    for name in ("A", "B"):
        review = RegionalReviewFactory(title_en=f"Review {name}")
        outcome = OutcomeDocumentFactory(review=review)
        consultation = ConsultationFactory(review=review, title_en=f"Consultation of {name}")
        summary = ConsultationSummaryFactory(consultation=consultation)
        (outcome_render,) = services.generate_document(document=outcome, actor=None, languages=["en"])
        (summary_render,) = services.generate_document(document=summary, actor=None, languages=["fr"])
        rows[name] = {
            "review": review,
            "outcome": outcome,
            "summary": summary,
            "renders": (outcome_render, summary_render),
        }
    return rows


@pytest.fixture
def secretariat_of_a(two_reviews):
    return member(two_reviews["A"]["review"], ReviewMembership.Role.SECRETARIAT)


@pytest.fixture
def rapporteur_of_a(two_reviews):
    return member(two_reviews["A"]["review"], ReviewMembership.Role.RAPPORTEUR)


def changelist(client, model: str) -> str:
    response = client.get(f"/en/admin/reports/{model}/")
    assert response.status_code == 200
    return response.content.decode()


# --- Who sees what -----------------------------------------------------------------------------------------


def test_staff_see_only_their_reviews_documents(client, two_reviews, secretariat_of_a):
    client.force_login(secretariat_of_a)
    outcomes = changelist(client, "outcomedocument")
    assert "Review A" in outcomes and "Review B" not in outcomes
    summaries = changelist(client, "consultationsummary")
    assert "Consultation of A" in summaries and "Consultation of B" not in summaries
    renders = changelist(client, "rendereddocument")
    assert "Review A — en — v1" in renders and "Consultation of A — fr — v1" in renders
    assert "Review B" not in renders and "Consultation of B" not in renders


@pytest.mark.parametrize("kind", ["outcome", "summary"])
def test_staff_cannot_open_another_reviews_document(client, two_reviews, secretariat_of_a, kind):
    document = two_reviews["B"][kind]
    model = document._meta.model_name
    client.force_login(secretariat_of_a)
    response = client.get(f"/en/admin/reports/{model}/{document.pk}/change/")
    assert response.status_code == 302 and response["Location"] == "/en/admin/"
    response = client.post(f"/en/admin/reports/{model}/{document.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and response["Location"] == "/en/admin/"
    assert type(document).objects.filter(pk=document.pk).exists()
    assert not AuditEntry.objects.filter(action__endswith=".delete").exists()


def test_the_review_choices_are_the_members_own(client, two_reviews, secretariat_of_a):
    OutcomeDocument.objects.filter(review=two_reviews["A"]["review"]).delete()
    client.force_login(secretariat_of_a)
    html = client.get("/en/admin/reports/outcomedocument/add/").content.decode()
    assert "Review A" in html and "Review B" not in html
    html = client.get("/en/admin/reports/consultationsummary/add/").content.decode()
    assert "Consultation of A" in html and "Consultation of B" not in html


def test_staff_without_permissions_and_anonymous_are_refused(client, two_reviews):
    no_permission = member(
        two_reviews["A"]["review"], ReviewMembership.Role.SECRETARIAT, "no_such_permission"
    )
    for model in ("outcomedocument", "consultationsummary", "rendereddocument"):
        client.logout()
        response = client.get(f"/en/admin/reports/{model}/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        client.force_login(no_permission)
        assert client.get(f"/en/admin/reports/{model}/").status_code == 403


def test_superusers_see_every_review(client, two_reviews, superuser):
    client.force_login(superuser)
    html = changelist(client, "outcomedocument")
    assert "Review A" in html and "Review B" in html


# --- Deleting ----------------------------------------------------------------------------------------------


def test_deleting_an_outcome_document_is_audited_with_its_renders(
    client, two_reviews, secretariat_of_a, django_capture_on_commit_callbacks
):
    outcome = two_reviews["A"]["outcome"]
    client.force_login(secretariat_of_a)
    url = f"/en/admin/reports/outcomedocument/{outcome.pk}/delete/"
    # The renders go with the document, although their own admin deletes nothing.
    page = client.get(url).content.decode()
    assert "Review A — en — v1" in page and "have permission to delete" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not OutcomeDocument.objects.filter(pk=outcome.pk).exists()
    assert not RenderedDocument.objects.filter(outcome_document_id=outcome.pk).exists()
    entry = AuditEntry.objects.get(action="outcome_document.delete")
    assert (entry.actor, entry.object_id, entry.before["renders"]) == (secretariat_of_a, str(outcome.pk), 1)


def test_bulk_deleting_summaries_audits_each(client, two_reviews, secretariat_of_a):
    summary = two_reviews["A"]["summary"]
    second = ConsultationSummaryFactory(consultation=ConsultationFactory(review=two_reviews["A"]["review"]))
    client.force_login(secretariat_of_a)
    response = client.post(
        "/en/admin/reports/consultationsummary/",
        {"action": "delete_selected", "_selected_action": [summary.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not ConsultationSummary.objects.filter(pk__in=[summary.pk, second.pk]).exists()
    entries = AuditEntry.objects.filter(action="consultation_summary.delete")
    assert sorted(int(e.object_id) for e in entries) == sorted([summary.pk, second.pk])
    assert {e.actor for e in entries} == {secretariat_of_a}
    assert ConsultationSummary.objects.filter(pk=two_reviews["B"]["summary"].pk).exists()


def test_a_rapporteur_may_not_delete_documents(client, two_reviews, rapporteur_of_a):
    outcome, summary = two_reviews["A"]["outcome"], two_reviews["A"]["summary"]
    client.force_login(rapporteur_of_a)
    assert (
        client.post(f"/en/admin/reports/outcomedocument/{outcome.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    response = client.post(
        "/en/admin/reports/consultationsummary/",
        {"action": "delete_selected", "_selected_action": [summary.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert OutcomeDocument.objects.filter(pk=outcome.pk).exists()
    assert ConsultationSummary.objects.filter(pk=summary.pk).exists()
    assert not AuditEntry.objects.filter(action__endswith=".delete").exists()


def test_a_final_outcome_document_is_reopened_before_it_is_deleted(client, two_reviews, secretariat_of_a):
    outcome = two_reviews["A"]["outcome"]
    services.finalize_outcome_document(document=outcome, actor=secretariat_of_a)
    client.force_login(secretariat_of_a)
    assert (
        client.post(f"/en/admin/reports/outcomedocument/{outcome.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert OutcomeDocument.objects.filter(pk=outcome.pk).exists()


def test_renders_cannot_be_deleted_in_the_admin(client, two_reviews, superuser):
    outcome_render, _summary_render = two_reviews["A"]["renders"]
    client.force_login(superuser)
    assert client.get(f"/en/admin/reports/rendereddocument/{outcome_render.pk}/delete/").status_code == 403
    html = changelist(client, "rendereddocument")
    assert 'value="delete_selected"' not in html
    # The action is not offered, so posting it anyway only shows the list again.
    response = client.post(
        "/en/admin/reports/rendereddocument/",
        {"action": "delete_selected", "_selected_action": [outcome_render.pk], "post": "yes"},
    )
    assert response.status_code == 200 and "Review A — en — v1" in response.content.decode()
    assert RenderedDocument.objects.filter(pk=outcome_render.pk).exists()


# --- Publishing a summary --------------------------------------------------------------------------------


def summary_post(summary, **values) -> dict:
    return {
        "consultation": summary.consultation_id,
        "introduction_en": summary.introduction_en,
        "introduction_ar": summary.introduction_ar,
        "introduction_fr": summary.introduction_fr,
        "next_steps_en": "",
        "next_steps_ar": "",
        "next_steps_fr": "",
        "status": summary.status,
        **values,
    }


def test_the_secretariat_publishes_a_summary_in_the_admin(client, two_reviews, secretariat_of_a):
    summary = two_reviews["A"]["summary"]
    client.force_login(secretariat_of_a)
    response = client.post(
        f"/en/admin/reports/consultationsummary/{summary.pk}/change/",
        summary_post(summary, status="published"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    summary.refresh_from_db()
    assert summary.status == "published"
    entry = AuditEntry.objects.get(action="consultation_summary.update")
    assert entry.actor == secretariat_of_a and entry.after["status"] == "published"


def test_a_rapporteur_edits_a_summary_in_the_admin_but_cannot_publish_it(
    client, two_reviews, rapporteur_of_a
):
    summary = two_reviews["A"]["summary"]
    client.force_login(rapporteur_of_a)
    url = f"/en/admin/reports/consultationsummary/{summary.pk}/change/"
    assert 'name="status"' not in client.get(url).content.decode()
    response = client.post(url, summary_post(summary, status="published", introduction_en="<p>Edited</p>"))
    assert response.status_code == 302
    summary.refresh_from_db()
    assert (summary.status, summary.introduction_en) == ("draft", "<p>Edited</p>")
    assert AuditEntry.objects.get(action="consultation_summary.update").actor == rapporteur_of_a
