from django import template
from django.utils.safestring import mark_safe

from consultations.services import sanitize_rich_text

register = template.Library()


@register.filter
def rich_text(value: str) -> str:
    """Staff-written rich text (summary, concept note), sanitised with nh3 again at display time so that a
    row written around the service (a data migration, the shell) cannot carry a script onto a page."""
    # nh3 output is safe by construction.
    return mark_safe(sanitize_rich_text(value))


@register.filter
def percent(share: float | None) -> int | None:
    """0.4567 → 46 (for bar widths and labels); None stays None."""
    return None if share is None else round(share * 100)
