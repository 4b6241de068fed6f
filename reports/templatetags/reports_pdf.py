"""Template helpers shared by the PDF templates and the documents page."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()

_LANGUAGE_NAMES = dict(settings.LANGUAGES)


@register.simple_tag
def text(entry: dict | None) -> str:
    """One resolved text from a document's inputs, escaped, in its own language and direction; text shown
    in another language than the document's is marked so no reader takes it for a translation."""
    if not entry or not entry.get("text"):
        return ""
    direction = "rtl" if entry["lang"] == "ar" else "ltr"
    if not entry.get("fallback"):
        return format_html('<span lang="{}" dir="{}">{}</span>', entry["lang"], direction, entry["text"])
    note = gettext("not yet translated; shown in %(language)s") % {
        "language": str(_LANGUAGE_NAMES[entry["lang"]])
    }
    return format_html(
        '<span class="fallback"><span lang="{}" dir="{}">{}</span> <span class="fallback-note">[{}]</span></span>',
        entry["lang"],
        direction,
        entry["text"],
        note,
    )


@register.filter
def language_name(code: str) -> str:
    return str(_LANGUAGE_NAMES.get(code, code))
