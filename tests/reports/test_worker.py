"""Renders through real Celery workers on the Redis broker (this run's REDIS_URL)."""

import time

import pytest

from bench.reports import bench_document
from bench.reports_kill import run_kill_test
from consultations.models import KeyMessage
from reports import services
from reports.models import RenderedDocument

from .factories import ConsultationFactory, KeyMessageFactory, OutcomeDocumentFactory


def wait_until_done(document, count: int, timeout: float = 90) -> list[RenderedDocument]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = list(
            RenderedDocument.objects.filter(outcome_document=document).order_by("language", "version")
        )
        if len(rows) == count and all(r.status in ("done", "failed") for r in rows):
            return rows
        time.sleep(0.2)
    raise AssertionError(f"renders not finished: {[(r.language, r.status) for r in rows]}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_renders_all_three_languages_once_per_content(celery_app, celery_worker, superuser):
    document = OutcomeDocumentFactory()
    key_message = KeyMessageFactory(consultation=ConsultationFactory(review=document.review))

    services.generate_document(document=document, actor=superuser)
    rows = wait_until_done(document, 3)

    assert [(r.language, r.version, r.status) for r in rows] == [
        ("ar", 1, "done"),
        ("en", 1, "done"),
        ("fr", 1, "done"),
    ]
    for rendered in rows:
        with rendered.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
        assert rendered.page_count >= 3 and rendered.size == rendered.file.size

    # Unchanged content: nothing new is queued or written.
    again = services.generate_document(document=document, actor=superuser)
    assert sorted(r.pk for r in again) == sorted(r.pk for r in rows)
    assert RenderedDocument.objects.filter(outcome_document=document).count() == 3

    # A changed key message: a new version of every language whose text changed.
    KeyMessage.objects.filter(pk=key_message.pk).update(text_en="Changed", text_ar="تغيّر", text_fr="Changé")
    services.generate_document(document=document, actor=superuser)
    rows = wait_until_done(document, 6)
    assert sorted((r.language, r.version) for r in rows if r.status == "done") == [
        ("ar", 1),
        ("ar", 2),
        ("en", 1),
        ("en", 2),
        ("fr", 1),
        ("fr", 2),
    ]
    assert len({r.file.name for r in rows}) == 6


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_render_killed_mid_way_finishes_exactly_once_on_a_new_worker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = bench_document(consultations=3, key_messages=60)

    result = run_kill_test(document=document, timeout=60)

    assert result["status_after_kill"] == "rendering"
    assert result["done_rows"] == result["rows"] == 1
    assert len(result["files"]) == 1 and result["attempts"] == 2
