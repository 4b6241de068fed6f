import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services
from reports.models import OutcomeDocument, RenderedDocument

from .factories import ConsultationFactory, ConsultationSummaryFactory, KeyMessageFactory


def documents_url(review):
    return reverse("reports:review_documents", kwargs={"slug": review.slug})


@pytest.fixture
def draft_render(outcome, rapporteur):
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["en"])
    return services.render_and_store(rendered_id=rendered.pk)


@pytest.fixture
def final_render(outcome, rapporteur):
    services.finalize_outcome_document(document=outcome, actor=rapporteur)
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["fr"])
    return services.render_and_store(rendered_id=rendered.pk)


def test_staff_see_the_draft_with_its_controls(client, rapporteur, outcome, draft_render):
    client.force_login(rapporteur)
    response = client.get(documents_url(outcome.review))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("reports:generate_outcome", kwargs={"slug": outcome.review.slug}) in body
    assert reverse("reports:download", kwargs={"pk": draft_render.pk}) in body
    assert 'data-status-url="' in body and "js/reports.js" in body
    assert "<script>" not in body.replace('<script src="/static/js/reports.js" defer></script>', "")


def test_others_and_anonymous_do_not_see_a_draft(client, other_user, outcome, draft_render):
    for who in (None, other_user):
        client.logout()
        if who:
            client.force_login(who)
        response = client.get(documents_url(outcome.review))
        assert response.status_code == 404


def test_the_public_sees_only_the_final_documents_pdfs(client, outcome, draft_render, final_render):
    response = client.get(documents_url(outcome.review))
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("reports:download", kwargs={"pk": final_render.pk}) in body
    assert reverse("reports:download", kwargs={"pk": draft_render.pk}) not in body
    assert "generate" not in body


def test_draft_file_download_is_for_staff_with_rights_only(
    client, rapporteur, other_user, staff_user, draft_render
):
    url = reverse("reports:download", kwargs={"pk": draft_render.pk})
    assert client.get(url).status_code == 404
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    client.force_login(staff_user)  # staff, but not on this review's team
    assert client.get(url).status_code == 404
    client.force_login(rapporteur)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Cache-Control"] == "private, no-store"


def test_final_file_download_is_public(client, final_render):
    response = client.get(reverse("reports:download", kwargs={"pk": final_render.pk}))
    assert response.status_code == 200
    assert f"-outcome-document-fr-v{final_render.version}.pdf" in response["Content-Disposition"]


def test_reopened_documents_pdfs_stop_being_public(client, rapporteur, outcome, final_render):
    services.reopen_outcome_document(document=outcome, actor=rapporteur)
    assert client.get(reverse("reports:download", kwargs={"pk": final_render.pk})).status_code == 404


def test_status_feed_for_staff_only(client, rapporteur, other_user, outcome, draft_render):
    url = reverse("reports:render_status", kwargs={"slug": outcome.review.slug})
    assert client.get(url).status_code == 403
    client.force_login(other_user)
    assert client.get(url).status_code == 403
    client.force_login(rapporteur)
    data = client.get(url).json()
    assert data["pending"] is False
    assert data["renders"] == [
        {
            "id": draft_render.pk,
            "language": "en",
            "version": 1,
            "status": "done",
            "status_label": "Done",
            "failure_reason": "",
            "download_url": reverse("reports:download", kwargs={"pk": draft_render.pk}),
        }
    ]


def test_generate_queues_three_languages_and_redirects(
    client, rapporteur, outcome, queued_tasks, django_capture_on_commit_callbacks
):
    client.force_login(rapporteur)
    url = reverse("reports:generate_outcome", kwargs={"slug": outcome.review.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == documents_url(outcome.review)
    assert sorted(t["locale"] for t in queued_tasks) == ["ar", "en", "fr"]
    page = client.get(documents_url(outcome.review)).content.decode()
    assert page.count("Queued") == 3 and 'data-pending="true"' in page


def test_generate_is_refused_to_others(client, other_user, outcome, queued_tasks):
    url = reverse("reports:generate_outcome", kwargs={"slug": outcome.review.slug})
    assert client.post(url).status_code == 302  # to the login page
    client.force_login(other_user)
    assert client.post(url).status_code == 403
    assert not RenderedDocument.objects.exists()


def test_finalize_shows_what_lacks_a_language(client, rapporteur, outcome, consultation):
    KeyMessageFactory(consultation=consultation, text_fr="", text_en="Lacks French")
    client.force_login(rapporteur)
    page = client.get(documents_url(outcome.review)).content.decode()
    assert "Lacks French" in page and "French" in page
    url = reverse("reports:finalize_outcome", kwargs={"slug": outcome.review.slug})
    response = client.post(url, follow=True)
    assert "cannot be final yet" in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.status == OutcomeDocument.Status.DRAFT
    client.post(url, {"accept_fallback": "on"})
    outcome.refresh_from_db()
    assert outcome.status == OutcomeDocument.Status.FINAL


def test_edit_outcome_document_page(client, rapporteur, other_user, review):
    url = reverse("reports:edit_outcome", kwargs={"slug": review.slug})
    assert client.get(url).status_code == 302
    client.force_login(other_user)
    assert client.get(url).status_code == 403
    client.force_login(rapporteur)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"preamble_en": "<p>Hello<script>x</script></p>", "preamble_ar": "<p>مرحبا</p>"}
    )
    assert response.status_code == 302
    document = OutcomeDocument.objects.get(review=review)
    assert document.preamble_en == "<p>Hello</p>" and document.preamble_ar == "<p>مرحبا</p>"


def test_edit_summary_page(client, rapporteur, consultation):
    url = reverse(
        "reports:edit_summary",
        kwargs={"slug": consultation.review.slug, "consultation_slug": consultation.slug},
    )
    client.force_login(rapporteur)
    response = client.post(url, {"status": "published", "introduction_fr": "Bonjour"})
    assert response.status_code == 302
    assert consultation.summary_report.introduction_fr == "<p>Bonjour</p>"
    assert consultation.summary_report.status == "published"


def test_bidi_and_markup_in_key_messages_are_shown_as_text_on_the_page(
    client, rapporteur, outcome, consultation
):
    KeyMessageFactory(consultation=consultation, text_fr="", text_en="<b>x</b>\u202eevil")
    client.force_login(rapporteur)
    body = client.get(documents_url(outcome.review)).content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;[U+202E]evil" in body and "\u202e" not in body


def test_documents_page_queries_do_not_grow_with_documents(client, rapporteur, review, outcome):
    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(documents_url(review)).status_code == 200
        return len(queries)

    client.force_login(rapporteur)
    summary = ConsultationSummaryFactory(consultation=ConsultationFactory(review=review))
    services.generate_document(document=summary, actor=rapporteur)
    one = page_queries()
    for _ in range(4):
        summary = ConsultationSummaryFactory(consultation=ConsultationFactory(review=review))
        services.generate_document(document=summary, actor=rapporteur)
    ConsultationFactory(review=review)
    assert page_queries() == one


def test_public_documents_page_queries_do_not_grow(client, rapporteur, review):
    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(documents_url(review)).status_code == 200
        return len(queries)

    def published_summary():
        summary = ConsultationSummaryFactory(
            consultation=ConsultationFactory(review=review), status="published"
        )
        for rendered in services.generate_document(document=summary, actor=rapporteur, languages=["en"]):
            RenderedDocument.objects.filter(pk=rendered.pk).update(status="done", file="reports/x.pdf")

    published_summary()
    one = page_queries()
    published_summary()
    published_summary()
    assert page_queries() == one
