import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import ReviewEventFactory

pytestmark = pytest.mark.django_db

TEMPLATE = Template('{% load portal %}<h4{% lang_of event "title" %}>{{ event.title }}</h4>')


def render(event, lang: str) -> str:
    with translation.override(lang):
        return TEMPLATE.render(Context({"event": event}))


def test_text_in_the_page_language_needs_no_marking():
    event = ReviewEventFactory(title_en="Regional dialogue", title_ar="الحوار الإقليمي", title_fr="Dialogue")
    assert render(event, "ar") == "<h4>الحوار الإقليمي</h4>"


def test_fallback_text_is_marked_with_its_language_and_direction():
    event = ReviewEventFactory(title_en="Regional dialogue", title_ar="", title_fr="")
    assert render(event, "ar") == '<h4 lang="en" dir="ltr">Regional dialogue</h4>'
    assert render(event, "fr") == '<h4 lang="en" dir="ltr">Regional dialogue</h4>'


def test_arabic_only_text_on_an_english_page_is_marked_rtl():
    event = ReviewEventFactory(title_en="", title_ar="الحوار الإقليمي", title_fr="")
    assert render(event, "en").startswith('<h4 lang="ar" dir="rtl">')
