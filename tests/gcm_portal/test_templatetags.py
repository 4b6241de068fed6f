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


WHEN = Template("{% load portal tz %}{% timezone zone %}{% when start end %}{% endtimezone %}")


def render_when(lang: str, zone: str = "Asia/Beirut", end: bool = True) -> str:
    import datetime

    start = datetime.datetime(2027, 5, 14, 6, 30, tzinfo=datetime.UTC)
    context = {"zone": zone, "start": start, "end": start + datetime.timedelta(hours=3) if end else None}
    with translation.override(lang):
        return WHEN.render(Context(context))


def test_when_writes_date_and_hours_in_each_language():
    assert render_when("en") == "May 14, 2027, 09:30–12:30"
    assert render_when("fr") == "14 mai 2027, 09:30–12:30"
    # The Arabic comma, in Arabic text as in the dates Django formats.
    assert render_when("ar") == "14 مايو، 2027، 09:30–12:30"


def test_when_uses_the_active_time_zone_and_may_omit_the_end():
    assert render_when("en", zone="UTC") == "May 14, 2027, 06:30–09:30"
    assert render_when("ar", zone="UTC", end=False) == "14 مايو، 2027، 06:30"
