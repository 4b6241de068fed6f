"""Real PDFs: text read back in logical order in each language, fonts, metadata, escaping."""

import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from consultations.models import KeyMessage
from reports import selectors
from reports.documents import build_html
from reports.models import OutcomeDocument
from reports.rendering import render_pdf
from reviews.models import Objective, RegionalReview

from .factories import KeyMessageFactory

# Directional formatting characters pdftotext adds around right-to-left runs.
_BIDI_FORMATTING = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout
    return " ".join(_BIDI_FORMATTING.sub("", text.decode("utf-8")).split())


def embedded_fonts(content: bytes, tmp_path) -> set[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return {line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:] if line.strip()}


@pytest.fixture
def demo_review(db):
    from gcm_portal.demo import reports as reports_demo
    from gcm_portal.demo import reviews as reviews_demo

    stdout = io.StringIO()
    reviews_demo.load(stdout=stdout)
    reports_demo.load(stdout=stdout)
    return RegionalReview.objects.get(region__key="arab", round=2)


@pytest.mark.parametrize("language", ["ar", "en", "fr"])
def test_demo_outcome_document_reads_in_logical_order(demo_review, language, tmp_path):
    document = OutcomeDocument.objects.get(review=demo_review)
    html = build_html(selectors.outcome_document_inputs(document=document, language=language))

    pdf = render_pdf(html)

    assert pdf.warnings == ()  # no missing glyph, no unloadable font
    text = pdf_text(pdf.content, tmp_path)
    title = getattr(demo_review, f"title_{language}")
    objective_17 = getattr(Objective.objects.get(number=17), f"title_{language}")
    key_message = KeyMessage.objects.get(consultation__review=demo_review, kind="progress")
    message = getattr(key_message, f"text_{language}")
    assert title in text and objective_17 in text and message in text
    assert text.index(title) < text.index(objective_17) < text.index(message)
    # The participation table counts the demo consultation's 26 attending participants.
    assert re.search(r"\b26\b", text)
    assert embedded_fonts(pdf.content, tmp_path) <= {
        "GCM-Sans",
        "GCM-Sans-Bold",
        "GCM-Naskh",
        "GCM-Naskh-Bold",
    }
    reader = PdfReader(io.BytesIO(pdf.content))
    assert reader.metadata.title == title
    assert reader.trailer["/Root"]["/Lang"] == language
    assert pdf.page_count == len(reader.pages) >= 4


def test_arabic_document_is_laid_out_right_to_left(demo_review):
    document = OutcomeDocument.objects.get(review=demo_review)
    html = build_html(selectors.outcome_document_inputs(document=document, language="ar"))
    assert '<html lang="ar" dir="rtl">' in html
    english = build_html(selectors.outcome_document_inputs(document=document, language="en"))
    assert '<html lang="en" dir="ltr">' in english


def test_demo_summary_report_renders_its_figures(demo_review, tmp_path):
    summary = demo_review.consultations.get(slug="arab-regional-stakeholder-consultation-2024").summary_report
    html = build_html(selectors.consultation_summary_inputs(summary=summary, language="fr"))
    pdf = render_pdf(html)
    text = pdf_text(pdf.content, tmp_path)
    assert pdf.warnings == ()
    assert "26 participants" in text
    assert "Femme 15" in text and "Homme 9" in text


def test_typed_markup_and_bidi_overrides_render_as_text(consultation, outcome, tmp_path):
    hostile = "<script>alert('x')</script> <b>bold</b> \u202egnirts"
    KeyMessageFactory(consultation=consultation, text_en=hostile, text_fr=hostile, text_ar=hostile)

    html = build_html(selectors.outcome_document_inputs(document=outcome, language="en"))

    assert "<script>" not in html and "<b>bold" not in html and "\u202e" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; [U+202E]gnirts" in html
    text = pdf_text(render_pdf(html).content, tmp_path)
    assert "<script>alert('x')</script> <b>bold</b> [U+202E]gnirts" in text


def test_render_pdf_is_a_pure_function_of_its_html():
    html = '<html lang="fr"><head><title>Essai</title></head><body><p>Bonjour</p></body></html>'
    first, second = render_pdf(html), render_pdf(html)
    assert first.page_count == second.page_count == 1
    assert first.content.startswith(b"%PDF-")
    assert PdfReader(io.BytesIO(first.content)).metadata.title == "Essai"


def test_render_pdf_reports_missing_glyphs():
    # A private-use character: no font has a glyph for it.
    pdf = render_pdf("<html><body><p>\ue000</p></body></html>")
    assert any("glyph" in warning for warning in pdf.warnings)
