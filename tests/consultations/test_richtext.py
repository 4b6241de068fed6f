"""Consultations use the portal's one rich-text policy (gcm_portal.richtext), on save and on display."""

import pytest
from django.template import Context, Template

from consultations import services
from consultations.models import Consultation
from gcm_portal.richtext import sanitize_rich_text
from tests.factories import StaffUserFactory

from .factories import ConsultationFactory

RLO = "\u202e"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ('<span title="x">hi</span>', "<p>hi</p>"),
        ('<p title="x" lang="fr">hi</p>', "<p>hi</p>"),
        (
            '<a href="https://example.org/" title="x">a</a>',
            '<a href="https://example.org/" rel="noopener noreferrer">a</a>',
        ),
        (f"invoice{RLO}fdp.exe", "<p>invoice[U+202E]fdp.exe</p>"),
        ('<p onclick="x()">Hi<script>alert(1)</script></p>', "<p>Hi</p>"),
        ('<a href="javascript:alert(1)">a</a>', '<a rel="noopener noreferrer">a</a>'),
    ],
)
def test_the_shared_policy_drops_titles_and_shows_bidi_overrides(typed, kept):
    cleaned = sanitize_rich_text(typed)
    assert kept in cleaned
    assert "title" not in cleaned and RLO not in cleaned
    assert sanitize_rich_text(cleaned) == cleaned, "sanitising twice changes nothing"


@pytest.mark.django_db
def test_saving_a_consultation_applies_the_shared_policy_in_every_language():
    consultation = ConsultationFactory()
    consultation.summary_en = '<p>Read <span title="x">this</span></p>'
    consultation.concept_note_ar = f"<p>نص{RLO}عكسي</p>"
    services.save_consultation(consultation=consultation, actor=StaffUserFactory())
    stored = Consultation.objects.get(pk=consultation.pk)
    assert stored.summary_en == "<p>Read this</p>"
    assert stored.concept_note_ar == "<p>نص[U+202E]عكسي</p>"


@pytest.mark.django_db
def test_the_page_applies_the_shared_policy_to_rows_written_around_the_service(client):
    consultation = ConsultationFactory()
    Consultation.objects.filter(pk=consultation.pk).update(
        summary_en=f'<p><span title="lure">Hello</span> {RLO}world</p>'
    )
    body = client.get(consultation.get_absolute_url()).content.decode()
    assert "<p>Hello [U+202E]world</p>" in body
    assert 'title="lure"' not in body and RLO not in body


def test_the_template_filter_is_the_shared_sanitiser():
    rendered = Template("{% load consultation_tags %}{{ value|rich_text }}").render(
        Context({"value": '<span title="x">hi</span>' + RLO})
    )
    assert rendered == sanitize_rich_text('<span title="x">hi</span>' + RLO) == "<p>hi[U+202E]</p>"
