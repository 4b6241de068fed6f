"""Template helpers shared by every app."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info

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
