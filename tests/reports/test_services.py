import pytest

from consultations.models import KeyMessage
from gcm_portal.models import AuditEntry
from reports import services
from reports.models import OutcomeDocument, RenderedDocument

from .factories import ConsultationSummaryFactory, KeyMessageFactory


def test_save_outcome_document_sanitises_and_audits(review, rapporteur):
    document = services.save_outcome_document(
        review=review,
        actor=rapporteur,
        texts={
            "preamble": {
                "en": '<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:x">l</a></p>'
            }
        },
    )
    assert document.preamble_en == '<p>Hi <a rel="noopener noreferrer">l</a></p>'
    entry = AuditEntry.objects.get(action="outcome_document.create")
    assert entry.actor == rapporteur and entry.after["preamble_en"] == document.preamble_en


def test_plain_text_sections_become_paragraphs(review, rapporteur):
    document = services.save_outcome_document(
        review=review, actor=rapporteur, texts={"preamble": {"fr": "Un\n\nDeux & trois<script>x</script>"}}
    )
    assert document.preamble_fr == "<p>Un</p>\n\n<p>Deux &amp; trois</p>"


def test_a_final_document_must_be_reopened_before_it_changes(outcome, rapporteur):
    services.finalize_outcome_document(document=outcome, actor=rapporteur)
    with pytest.raises(services.DocumentIsFinalError):
        services.save_outcome_document(review=outcome.review, actor=rapporteur, texts={})
    services.reopen_outcome_document(document=outcome, actor=rapporteur)
    services.save_outcome_document(review=outcome.review, actor=rapporteur, texts={"preamble": {"en": "New"}})
    assert AuditEntry.objects.filter(action="outcome_document.reopen").count() == 1


def test_final_gate_refuses_a_missing_language_and_says_which(outcome, consultation, rapporteur):
    lacking = KeyMessageFactory(consultation=consultation, text_ar="")
    outcome.main_messages_fr = ""
    outcome.save()

    with pytest.raises(services.MissingTranslationsError) as refused:
        services.finalize_outcome_document(document=outcome, actor=rapporteur)

    assert [(m["kind"], m.get("key"), m["languages"]) for m in refused.value.missing] == [
        ("section", "main_messages", ["fr"]),
        ("key_message", None, ["ar"]),
    ]
    assert refused.value.missing[1]["key_message"] == lacking
    outcome.refresh_from_db()
    assert outcome.status == OutcomeDocument.Status.DRAFT
    assert not AuditEntry.objects.filter(action="outcome_document.finalize").exists()


def test_final_gate_accepts_a_marked_fallback_when_staff_say_so(outcome, consultation, rapporteur):
    KeyMessageFactory(consultation=consultation, text_ar="")
    document = services.finalize_outcome_document(document=outcome, actor=rapporteur, accept_fallback=True)
    assert document.status == OutcomeDocument.Status.FINAL
    assert document.fallback_accepted_by == rapporteur
    entry = AuditEntry.objects.get(action="outcome_document.finalize")
    assert entry.after["fallback_accepted"] is True
    assert entry.after["missing"][0]["languages"] == ["ar"]


def test_final_gate_passes_when_every_language_is_there(outcome, consultation, rapporteur):
    KeyMessageFactory(consultation=consultation)
    document = services.finalize_outcome_document(document=outcome, actor=rapporteur)
    assert document.status == OutcomeDocument.Status.FINAL
    assert document.fallback_accepted_at is None


def test_generate_queues_one_render_per_language(
    outcome, rapporteur, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        renders = services.generate_document(document=outcome, actor=rapporteur)

    assert sorted((r.language, r.version, r.status) for r in renders) == [
        ("ar", 1, "queued"),
        ("en", 1, "queued"),
        ("fr", 1, "queued"),
    ]
    assert sorted(task["locale"] for task in queued_tasks) == ["ar", "en", "fr"]
    assert {task["rendered_id"] for task in queued_tasks} == {r.pk for r in renders}
    assert AuditEntry.objects.filter(action="rendered_document.queue", actor=rapporteur).count() == 3
    assert all(r.requested_by == rapporteur and len(r.content_hash) == 64 for r in renders)


def test_generating_unchanged_content_again_queues_nothing(
    outcome, rapporteur, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.generate_document(document=outcome, actor=rapporteur)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.generate_document(document=outcome, actor=rapporteur)
    assert [r.pk for r in again] == [r.pk for r in first]
    assert len(queued_tasks) == 3
    assert RenderedDocument.objects.count() == 3


def test_a_changed_key_message_makes_a_new_version(
    outcome, consultation, rapporteur, queued_tasks, django_capture_on_commit_callbacks
):
    km = KeyMessageFactory(consultation=consultation)
    services.generate_document(document=outcome, actor=rapporteur)
    km.text_fr = "Message modifié"
    km.save()
    with django_capture_on_commit_callbacks(execute=True):
        renders = {r.language: r for r in services.generate_document(document=outcome, actor=rapporteur)}
    # Only the French text changed, so only the French document gets a second version.
    assert {code: r.version for code, r in renders.items()} == {"ar": 1, "en": 1, "fr": 2}
    assert [task["locale"] for task in queued_tasks] == ["fr"]


def test_a_failed_render_of_the_same_content_is_queued_again(
    outcome, rapporteur, queued_tasks, django_capture_on_commit_callbacks
):
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["en"])
    services.mark_render_failed(rendered_id=rendered.pk, reason="boom")
    with django_capture_on_commit_callbacks(execute=True):
        (again,) = services.generate_document(document=outcome, actor=rapporteur, languages=["en"])
    assert again.pk == rendered.pk and again.status == "queued" and again.failure_reason == ""
    assert queued_tasks == [{"rendered_id": rendered.pk, "locale": "en"}]


def test_render_queued_document_writes_one_file_and_is_idempotent(outcome, rapporteur, settings):
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["fr"])

    done = services.render_queued_document(rendered_id=rendered.pk)

    assert done.status == RenderedDocument.Status.DONE
    assert done.file.name == f"reports/outcome-{outcome.review.slug}-fr-v1.pdf"
    assert done.page_count >= 3 and done.size == done.file.size
    assert done.started_at <= done.finished_at and done.attempts == 1
    with done.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    again = services.render_queued_document(rendered_id=rendered.pk)
    assert again.attempts == 1 and again.finished_at == done.finished_at
    assert [p.name for p in (settings.MEDIA_ROOT / "reports").iterdir()] == [done.file.name.split("/")[-1]]


def test_a_render_redelivered_after_a_crash_replaces_its_half_written_file(outcome, rapporteur, settings):
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["en"])
    # A worker died after writing the file but before recording it.
    RenderedDocument.objects.filter(pk=rendered.pk).update(
        status=RenderedDocument.Status.RENDERING, attempts=1
    )
    target = settings.MEDIA_ROOT / "reports" / f"outcome-{outcome.review.slug}-en-v1.pdf"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"partial")

    done = services.render_queued_document(rendered_id=rendered.pk)

    assert done.status == "done" and done.attempts == 2
    assert list(target.parent.iterdir()) == [target]
    assert target.read_bytes().startswith(b"%PDF-")


def test_a_layout_error_marks_the_render_failed_with_its_reason(outcome, rapporteur, monkeypatch):
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["en"])

    def broken(html):
        raise ValueError("no layout")

    monkeypatch.setattr(services, "render_pdf", broken)
    failed = services.render_queued_document(rendered_id=rendered.pk)
    assert failed.status == "failed" and failed.failure_reason == "ValueError: no layout"


def test_summary_generation_and_status(consultation, rapporteur):
    summary = ConsultationSummaryFactory(consultation=consultation)
    (rendered,) = services.generate_document(document=summary, actor=rapporteur, languages=["ar"])
    assert rendered.consultation_summary == summary and rendered.is_public is False
    services.save_consultation_summary(
        consultation=consultation, actor=rapporteur, texts={}, status="published"
    )
    summary.refresh_from_db()
    (published,) = services.generate_document(document=summary, actor=rapporteur, languages=["ar"])
    assert published.version == 2 and published.is_public is True


def test_key_message_status_reaches_the_annex_only_when_approved(outcome, consultation, rapporteur):
    from reports.selectors import build_annex

    km = KeyMessageFactory(consultation=consultation, status=KeyMessage.Status.DRAFT)
    assert build_annex(review=outcome.review, language="en") == []
    from consultations.key_messages import set_key_message_status

    set_key_message_status(key_message=km, actor=rapporteur, status="approved")
    assert build_annex(review=outcome.review, language="en")[0]["objectives"][0]["number"] == 17


# --- Deleting documents, recording a task that gave up ------------------------------------------------------


def test_deleting_an_outcome_document_audits_it_and_removes_its_pdfs(
    outcome, secretariat, settings, django_capture_on_commit_callbacks
):
    (rendered,) = services.generate_document(document=outcome, actor=secretariat, languages=["en"])
    rendered = services.render_queued_document(rendered_id=rendered.pk)
    pdf = settings.MEDIA_ROOT / rendered.file.name
    assert pdf.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_outcome_document(document=outcome, actor=secretariat)

    assert not OutcomeDocument.objects.filter(pk=outcome.pk).exists()
    assert not RenderedDocument.objects.exists()
    assert not pdf.exists()
    entry = AuditEntry.objects.get(action="outcome_document.delete")
    assert entry.actor == secretariat and entry.object_id == str(outcome.pk)
    assert entry.before["preamble_en"] == outcome.preamble_en
    assert (entry.before["status"], entry.before["renders"], entry.before["review"]) == (
        "draft",
        1,
        outcome.review_id,
    )


def test_a_rolled_back_delete_keeps_the_files(outcome, secretariat, settings):
    from django.db import transaction

    (rendered,) = services.generate_document(document=outcome, actor=secretariat, languages=["en"])
    rendered = services.render_queued_document(rendered_id=rendered.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.delete_outcome_document(document=outcome, actor=secretariat)
        raise RuntimeError("the surrounding change failed")
    assert (settings.MEDIA_ROOT / rendered.file.name).exists()
    assert OutcomeDocument.objects.filter(pk=outcome.pk).exists()
    assert not AuditEntry.objects.filter(action="outcome_document.delete").exists()


def test_deleting_a_summary_audits_it(consultation, secretariat):
    summary = ConsultationSummaryFactory(consultation=consultation, status="published")
    services.generate_document(document=summary, actor=secretariat, languages=["fr"])

    services.delete_consultation_summary(summary=summary, actor=secretariat)

    assert not RenderedDocument.objects.exists()
    entry = AuditEntry.objects.get(action="consultation_summary.delete")
    assert entry.actor == secretariat and entry.object_label == str(consultation)
    assert entry.before["status"] == "published" and entry.before["renders"] == 1
    assert entry.before["introduction_en"] == summary.introduction_en


def test_a_task_that_gave_up_is_recorded_as_failed(outcome, rapporteur, caplog):
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["en"])
    with caplog.at_level("WARNING", logger="reports.services"):
        failed = services.record_render_task_failure(rendered_id=rendered.pk, exc=OSError("disk full"))
    assert (failed.pk, failed.status, failed.failure_reason) == (rendered.pk, "failed", "OSError: disk full")
    assert failed.finished_at is not None
    assert f"rendered document {rendered.pk} gave up: OSError: disk full" in caplog.text


def test_a_task_that_gave_up_after_its_render_was_done_changes_nothing(outcome, rapporteur):
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["en"])
    done = services.render_queued_document(rendered_id=rendered.pk)
    again = services.record_render_task_failure(rendered_id=rendered.pk, exc=OSError("late"))
    assert again.status == "done" and again.failure_reason == "" and again.finished_at == done.finished_at


def test_a_task_without_its_render_id_is_only_logged(db, caplog):
    with caplog.at_level("WARNING", logger="reports.services"):
        assert services.record_render_task_failure(rendered_id=None, exc=ValueError("bad call")) is None
    assert "ValueError: bad call" in caplog.text


def test_document_inputs_take_keywords_only(outcome):
    with pytest.raises(TypeError):
        services.document_inputs(outcome, "en")
    inputs = services.document_inputs(document=outcome, language="en")
    assert (inputs["document"], inputs["language"], inputs["is_public"]) == ("outcome", "en", False)
