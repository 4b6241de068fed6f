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


def test_render_and_store_writes_one_file_and_is_idempotent(outcome, rapporteur, settings):
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["fr"])

    done = services.render_and_store(rendered_id=rendered.pk)

    assert done.status == RenderedDocument.Status.DONE
    assert done.file.name == f"reports/outcome-{outcome.review.slug}-fr-v1.pdf"
    assert done.page_count >= 3 and done.size == done.file.size
    assert done.started_at <= done.finished_at and done.attempts == 1
    with done.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    again = services.render_and_store(rendered_id=rendered.pk)
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

    done = services.render_and_store(rendered_id=rendered.pk)

    assert done.status == "done" and done.attempts == 2
    assert list(target.parent.iterdir()) == [target]
    assert target.read_bytes().startswith(b"%PDF-")


def test_a_layout_error_marks_the_render_failed_with_its_reason(outcome, rapporteur, monkeypatch):
    (rendered,) = services.generate_document(document=outcome, actor=rapporteur, languages=["en"])

    def broken(html):
        raise ValueError("no layout")

    monkeypatch.setattr(services, "render_pdf", broken)
    failed = services.render_and_store(rendered_id=rendered.pk)
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
