"""The one policy for rich text typed by staff (consultation summaries and concept notes, outcome-document
sections, summary introductions): sanitised with nh3 on the way in and again on the way out, so nothing but
basic formatting ever reaches a page or a PDF, whichever app wrote the row.

It lives here, below every app, so that consultations and reports cannot drift apart again (they did: one kept
`title` attributes and let bidi overrides through)."""

import re

import nh3
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a"}
)
# Links keep their target and nothing else. The empty "*" entry matters: without it nh3 keeps `lang` and
# `title` on every tag whatever the per-tag lists say, and `title` is hover text nobody reviews on the page.
ALLOWED_ATTRIBUTES = {"*": frozenset(), "a": frozenset({"href"})}
URL_SCHEMES = frozenset({"https", "http", "mailto"})
_BLOCK = re.compile(r"<(p|ul|ol|h3|h4|blockquote)[\s>]")
# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). Marks (LRM, RLM, ALM) are ordinary
# Arabic typing and stay.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def reveal_bidi_controls(text: str) -> str:
    """Typed bidi controls would silently reorder the rest of a page or PDF line (a right-to-left override
    turns "txt.exe" round): they are shown as their code point instead."""
    return _BIDI_CONTROLS.sub(lambda match: f"[U+{ord(match.group()):04X}]", text)


def sanitize_rich_text(value: str) -> str:
    """Return `value` as safe HTML: allowed tags only, plain text turned into paragraphs, bidi controls shown.
    Idempotent, so text sanitised on save comes out unchanged when sanitised again for display."""
    value = (value or "").strip()
    if not value:
        return ""
    cleaned = nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
    ).strip()
    if not _BLOCK.search(cleaned):
        # Typed as plain text: its blank lines are the paragraphs. The text is already escaped by nh3.
        cleaned = linebreaks(cleaned, autoescape=False)
    return reveal_bidi_controls(cleaned)


def rich_text_html(value: str) -> SafeString:
    # Safe to mark: the value has just been through nh3 with a short allow-list.
    return mark_safe(sanitize_rich_text(value))
