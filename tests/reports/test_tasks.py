import io
import logging

from django.core.management import call_command

from reports import services
from reports.models import RenderedDocument
from reports.tasks import RenderTask, render_document


def test_task_renders_and_stores(outcome, rapporteur):
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["ar"])
    render_document.run(rendered_id=rendered.pk, locale="ar")
    rendered.refresh_from_db()
    assert rendered.status == "done" and rendered.file.name.endswith("-ar-v1.pdf")


def test_task_for_a_deleted_document_logs_and_returns(db, caplog):
    with caplog.at_level(logging.INFO, logger="reports.tasks"):
        assert render_document.run(rendered_id=987654, locale="en") is None
    assert "no longer exists" in caplog.text


def test_task_is_protected_against_worker_loss_and_retries_transient_errors():
    assert render_document.acks_late is True
    assert render_document.reject_on_worker_lost is True
    assert render_document.max_retries == 5 and render_document.retry_backoff
    from django.db import DatabaseError

    assert DatabaseError in render_document.autoretry_for and OSError in render_document.autoretry_for


def test_a_task_that_finally_fails_marks_the_render_failed(outcome, rapporteur):
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["en"])
    RenderTask.on_failure(render_document, OSError("disk full"), "id", (), {"rendered_id": rendered.pk}, None)
    rendered.refresh_from_db()
    assert (
        rendered.status == RenderedDocument.Status.FAILED and rendered.failure_reason == "OSError: disk full"
    )


def test_render_document_command_writes_a_pdf(outcome, tmp_path):
    out = tmp_path / "outcome-ar.pdf"
    stdout = io.StringIO()
    call_command("render_document", review=outcome.review.slug, lang="ar", out=str(out), stdout=stdout)
    assert out.read_bytes().startswith(b"%PDF-")
    assert "Wrote" in stdout.getvalue()
    assert not RenderedDocument.objects.exists()


def test_render_document_command_renders_a_summary(consultation, tmp_path):
    from .factories import ConsultationSummaryFactory

    ConsultationSummaryFactory(consultation=consultation)
    out = tmp_path / "summary.pdf"
    call_command(
        "render_document",
        review=consultation.review.slug,
        consultation=consultation.slug,
        lang="fr",
        out=str(out),
        stdout=io.StringIO(),
    )
    assert out.read_bytes().startswith(b"%PDF-")


def test_demo_content_loads_idempotently(db):
    from consultations.models import KeyMessage
    from gcm_portal.demo import reports as reports_demo
    from gcm_portal.demo import reviews as reviews_demo
    from reports.models import ConsultationSummary, OutcomeDocument

    stdout = io.StringIO()
    reviews_demo.load(stdout=stdout)
    reports_demo.load(stdout=stdout)
    counts = (
        KeyMessage.objects.count(),
        OutcomeDocument.objects.count(),
        ConsultationSummary.objects.count(),
    )
    reports_demo.load(stdout=stdout)
    assert (
        KeyMessage.objects.count(),
        OutcomeDocument.objects.count(),
        ConsultationSummary.objects.count(),
    ) == counts
    assert counts[1] == 1 and counts[2] == 1
    assert (
        KeyMessage.objects.filter(status="approved", consultation__review__slug="arab-region-round-2").count()
        == 5
    )
    document = OutcomeDocument.objects.get()
    assert all(getattr(document, f"{s}_{c}") for s in document.SECTIONS for c in ("ar", "en", "fr"))
