import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gcm_portal.models import AuditEntry
from reports import services
from reports.models import ConsultationSummary, OutcomeDocument, RenderedDocument

from .factories import ConsultationFactory, ConsultationSummaryFactory, KeyMessageFactory


def documents_url(review):
    return reverse("reports:review_documents", kwargs={"slug": review.slug})


@pytest.fixture
def draft_render(outcome, rapporteur):
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["en"])
    return services.render_queued_document(rendered_id=rendered.pk)


@pytest.fixture
def final_render(outcome, rapporteur):
    services.finalize_outcome_document(document=outcome, actor=rapporteur)
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["fr"])
    return services.render_queued_document(rendered_id=rendered.pk)


def test_staff_see_the_draft_with_its_controls(client, secretariat, outcome, draft_render):
    client.force_login(secretariat)
    response = client.get(documents_url(outcome.review))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("reports:generate_outcome", kwargs={"slug": outcome.review.slug}) in body
    assert reverse("reports:finalize_outcome", kwargs={"slug": outcome.review.slug}) in body
    assert reverse("reports:edit_outcome", kwargs={"slug": outcome.review.slug}) in body
    assert reverse("reports:download", kwargs={"pk": draft_render.pk}) in body
    assert 'data-status-url="' in body and "js/reports.js" in body
    assert "<script>" not in body.replace('<script src="/static/js/reports.js" defer></script>', "")


def test_rapporteurs_see_and_edit_the_draft_but_get_no_decision_controls(
    client, rapporteur, outcome, consultation, draft_render
):
    from .factories import ConsultationSummaryFactory

    ConsultationSummaryFactory(consultation=consultation)
    client.force_login(rapporteur)
    response = client.get(documents_url(outcome.review))
    assert response.status_code == 200
    body = response.content.decode()
    slug = outcome.review.slug
    assert reverse("reports:download", kwargs={"pk": draft_render.pk}) in body
    assert reverse("reports:edit_outcome", kwargs={"slug": slug}) in body
    assert 'data-status-url="' in body
    for name in ("generate_outcome", "finalize_outcome", "reopen_outcome"):
        assert reverse(f"reports:{name}", kwargs={"slug": slug}) not in body, name
    assert (
        reverse("reports:generate_summary", kwargs={"slug": slug, "consultation_slug": consultation.slug})
        not in body
    )


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
    client, secretariat, outcome, queued_tasks, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    url = reverse("reports:generate_outcome", kwargs={"slug": outcome.review.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == documents_url(outcome.review)
    assert sorted(t["locale"] for t in queued_tasks) == ["ar", "en", "fr"]
    page = client.get(documents_url(outcome.review)).content.decode()
    assert page.count("Queued") == 3 and 'data-pending="true"' in page


def test_generate_is_refused_to_others(client, other_user, staff_user, rapporteur, outcome, queued_tasks):
    url = reverse("reports:generate_outcome", kwargs={"slug": outcome.review.slug})
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/")
    for who in (other_user, staff_user, rapporteur):
        client.force_login(who)
        assert client.post(url).status_code == 403
    assert not RenderedDocument.objects.exists()
    assert not AuditEntry.objects.filter(action="rendered_document.queue").exists()


def test_generating_a_summary_is_for_managing_roles(
    client, rapporteur, organizer, consultation, queued_tasks
):
    summary = ConsultationSummaryFactory(consultation=consultation)
    url = reverse(
        "reports:generate_summary",
        kwargs={"slug": consultation.review.slug, "consultation_slug": consultation.slug},
    )
    client.force_login(rapporteur)
    assert client.post(url).status_code == 403
    assert not RenderedDocument.objects.filter(consultation_summary=summary).exists()
    client.force_login(organizer)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == documents_url(consultation.review)
    renders = RenderedDocument.objects.filter(consultation_summary=summary)
    assert sorted(renders.values_list("language", flat=True)) == ["ar", "en", "fr"]
    assert {entry.actor for entry in AuditEntry.objects.filter(action="rendered_document.queue")} == {
        organizer
    }


def test_reopening_is_for_managing_roles(client, rapporteur, secretariat, outcome):
    services.finalize_outcome_document(document=outcome, actor=secretariat)
    url = reverse("reports:reopen_outcome", kwargs={"slug": outcome.review.slug})
    client.force_login(rapporteur)
    assert client.post(url).status_code == 403
    outcome.refresh_from_db()
    assert outcome.status == OutcomeDocument.Status.FINAL
    client.force_login(secretariat)
    assert client.post(url).status_code == 302
    outcome.refresh_from_db()
    assert outcome.status == OutcomeDocument.Status.DRAFT
    assert AuditEntry.objects.get(action="outcome_document.reopen").actor == secretariat


def test_a_member_who_lost_staff_status_can_decide_nothing(client, secretariat, outcome, queued_tasks):
    secretariat.is_staff = False
    secretariat.save()
    client.force_login(secretariat)
    slug = outcome.review.slug
    for name in ("generate_outcome", "finalize_outcome", "reopen_outcome"):
        assert client.post(reverse(f"reports:{name}", kwargs={"slug": slug})).status_code == 403, name
    outcome.refresh_from_db()
    assert outcome.status == OutcomeDocument.Status.DRAFT and not RenderedDocument.objects.exists()


def test_finalize_shows_what_lacks_a_language(client, rapporteur, secretariat, outcome, consultation):
    KeyMessageFactory(consultation=consultation, text_fr="", text_en="Lacks French")
    url = reverse("reports:finalize_outcome", kwargs={"slug": outcome.review.slug})
    # The rapporteur sees what to translate but may not make the document final.
    client.force_login(rapporteur)
    page = client.get(documents_url(outcome.review)).content.decode()
    assert "Lacks French" in page and url not in page
    assert client.post(url, {"accept_fallback": "on"}).status_code == 403
    outcome.refresh_from_db()
    assert outcome.status == OutcomeDocument.Status.DRAFT
    client.force_login(secretariat)
    page = client.get(documents_url(outcome.review)).content.decode()
    assert "Lacks French" in page and "French" in page and url in page
    response = client.post(url, follow=True)
    assert "cannot be final yet" in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.status == OutcomeDocument.Status.DRAFT
    client.post(url, {"accept_fallback": "on"})
    outcome.refresh_from_db()
    assert outcome.status == OutcomeDocument.Status.FINAL
    assert AuditEntry.objects.get(action="outcome_document.finalize").actor == secretariat


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


def summary_url(consultation) -> str:
    return reverse(
        "reports:edit_summary",
        kwargs={"slug": consultation.review.slug, "consultation_slug": consultation.slug},
    )


def test_edit_summary_page(client, organizer, consultation):
    client.force_login(organizer)
    response = client.post(summary_url(consultation), {"status": "published", "introduction_fr": "Bonjour"})
    assert response.status_code == 302
    assert consultation.summary_report.introduction_fr == "<p>Bonjour</p>"
    assert consultation.summary_report.status == "published"


def test_rapporteurs_write_summaries_but_do_not_publish_them(client, rapporteur, consultation):
    url = summary_url(consultation)
    client.force_login(rapporteur)
    html = client.get(url).content.decode()
    assert re.search(r'<select name="status"[^>]*disabled', html)
    response = client.post(url, {"status": "draft", "introduction_en": "Draft words"})
    assert response.status_code == 302
    summary = ConsultationSummary.objects.get(consultation=consultation)
    assert (summary.introduction_en, summary.status) == ("<p>Draft words</p>", "draft")
    # Publishing outright is refused, and nothing of that request is saved.
    response = client.post(url, {"status": "published", "introduction_en": "Published words"})
    assert response.status_code == 403
    summary.refresh_from_db()
    assert (summary.introduction_en, summary.status) == ("<p>Draft words</p>", "draft")
    assert AuditEntry.objects.filter(action__startswith="consultation_summary.").count() == 1


def test_rapporteurs_cannot_unpublish_a_summary(client, rapporteur, consultation):
    summary = ConsultationSummaryFactory(consultation=consultation, status="published")
    client.force_login(rapporteur)
    response = client.post(summary_url(consultation), {"status": "draft", "introduction_en": "x"})
    assert response.status_code == 403
    summary.refresh_from_db()
    assert summary.status == "published"
    # Without a status (the disabled field is not sent) the text is saved and the status kept.
    response = client.post(summary_url(consultation), {"introduction_en": "Fixed a typo"})
    assert response.status_code == 302
    summary.refresh_from_db()
    assert (summary.introduction_en, summary.status) == ("<p>Fixed a typo</p>", "published")


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
