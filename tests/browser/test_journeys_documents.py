"""An organizer of a review generates its outcome document on the documents page and downloads the PDFs.

The render task runs in the live server right after the commit that queues it (as a worker would run it from
the broker), so the page the organizer lands on already lists finished PDFs."""

import pytest
from playwright.sync_api import expect

# Imported at collection so the render task is registered on the project's Celery app (see tests/reports).
import reports.tasks  # noqa: F401
from reports.models import RenderedDocument
from reviews.models import ReviewMembership
from tests.factories import StaffUserFactory
from tests.reports.factories import OutcomeDocumentFactory

pytestmark = pytest.mark.browser

LANGUAGE_NAMES = {"ar": ("العربية", "الإنكليزية", "الفرنسية"), "en": ("Arabic", "English", "French")}


@pytest.fixture
def organizer_and_outcome(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    outcome = OutcomeDocumentFactory()
    organizer = StaffUserFactory()
    ReviewMembership.objects.create(
        review=outcome.review, user=organizer, role=ReviewMembership.Role.ORGANIZER
    )
    return organizer, outcome


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_generate_and_download_the_outcome_document(
    page, screenshot, log_in, tasks_run_in_the_server, organizer_and_outcome, lang
):
    organizer, outcome = organizer_and_outcome
    log_in(page, organizer)
    page.goto(f"/{lang}/reviews/{outcome.review.slug}/documents/")
    outcome_section = page.locator("section.report-document").first
    expect(outcome_section.locator(".render-file a")).to_have_count(0)
    screenshot("01-documents-before", lang)

    outcome_section.locator(
        f'form[action$="/{lang}/reviews/{outcome.review.slug}/documents/outcome/generate/"] button'
    ).click()
    links = outcome_section.locator(".render-file a")
    expect(links).to_have_count(3)
    expect(outcome_section.locator(".status-done")).to_have_count(3)
    expect(outcome_section.locator("tbody th[scope=row]")).to_have_text(list(LANGUAGE_NAMES[lang]))
    screenshot("02-documents-generated", lang)
    # The page count and size sit wholly after the link in reading order: in Arabic, left of it, with none of
    # their digits drawn inside the link's extent.
    link, meta = outcome_section.locator(".render-file a").first, outcome_section.locator(".file-meta").first
    link_box = link.evaluate("a => { const r = a.getBoundingClientRect(); return [r.left, r.right]; }")
    meta_boxes = meta.evaluate("m => Array.from(m.getClientRects(), r => [r.left, r.right])")
    for left, right in meta_boxes:
        if lang == "ar":
            assert right <= link_box[0] + 0.5, (meta_boxes, link_box)
        else:
            assert left >= link_box[1] - 0.5, (meta_boxes, link_box)
    renders = RenderedDocument.objects.filter(outcome_document=outcome)
    assert sorted(renders.values_list("language", "status")) == [
        ("ar", "done"),
        ("en", "done"),
        ("fr", "done"),
    ]

    with page.expect_download() as download_info:
        outcome_section.locator(f'.render-file a[hreflang="{lang}"]').click()
    download = download_info.value
    assert download.suggested_filename == f"{outcome.review.slug}-outcome-document-{lang}-v1.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
