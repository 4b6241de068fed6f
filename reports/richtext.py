"""Rich text typed by staff (outcome-document sections, summary introductions): sanitised with nh3 on the
way in and again on the way out, so nothing but basic formatting ever reaches a page or a PDF."""

import re

import nh3
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from consultations.key_messages import reveal_bidi_controls

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"https", "http", "mailto"}
_BLOCK = re.compile(r"<(p|ul|ol|h3|h4|blockquote)[\s>]")


def sanitize_rich_text(value: str) -> str:
    """Return `value` as safe HTML: allowed tags only, plain text turned into paragraphs."""
    value = (value or "").strip()
    if not value:
        return ""
    cleaned = nh3.clean(
        value, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES
    ).strip()
    if not _BLOCK.search(cleaned):
        # Typed as plain text: its blank lines are the paragraphs. The text is already escaped by nh3.
        cleaned = linebreaks(cleaned, autoescape=False)
    return reveal_bidi_controls(cleaned)


def rich_text_html(value: str) -> SafeString:
    # Safe to mark: the value has just been through nh3 with a short allow-list.
    return mark_safe(sanitize_rich_text(value))
