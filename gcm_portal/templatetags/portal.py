"""Template helpers shared by every app."""

from django import template
from django.conf import settings
from django.utils.formats import date_format, time_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def lang_of(obj, field: str) -> str:
    """` lang=".." dir=".."` for an element showing `obj.field` when the text comes from another language.

    modeltranslation falls back (to English first) when the page's language has no text: screen readers and the
    bidi algorithm must then be told that this part is in another language (WCAG 3.1.2), or an English sentence
    on an Arabic page gets Arabic pronunciation and its full stop at the wrong end.
    """
    current = get_language()
    if getattr(obj, f"{field}_{current}", None):
        return ""
    fallbacks = [*settings.MODELTRANSLATION_FALLBACK_LANGUAGES, *(code for code, _ in settings.LANGUAGES)]
    for code in fallbacks:
        if code != current and getattr(obj, f"{field}_{code}", None):
            direction = "rtl" if get_language_info(code)["bidi"] else "ltr"
            return format_html(' lang="{}" dir="{}"', code, direction)
    return ""


@register.simple_tag
def when(start, end=None) -> str:
    """A meeting's date and hours in the active language and time zone (`{% timezone %}`), e.g.
    "14 May 2027, 09:30–12:30". The pattern is translated because the separator differs: Arabic takes the
    Arabic comma."""
    values = {
        "date": date_format(localtime(start), "DATE_FORMAT"),
        "start": time_format(localtime(start), "H:i"),
    }
    if end is None:
        # Translators: a date, then a time of day.
        return _("%(date)s, %(start)s") % values
    # Translators: a date, then the hours a meeting starts and ends.
    return _("%(date)s, %(start)s–%(end)s") % {**values, "end": time_format(localtime(end), "H:i")}
