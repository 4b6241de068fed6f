from django import template
from django.utils.safestring import SafeString

from gcm_portal.richtext import rich_text_html

register = template.Library()


@register.filter
def rich_text(value: str) -> SafeString:
    """Staff-written rich text (summary, concept note), sanitised again at display time with the same policy
    as on save (gcm_portal.richtext), so that a row written around the service (a data migration, the shell)
    cannot carry a script onto a page."""
    return rich_text_html(value)


@register.filter
def percent(share: float | None) -> int | None:
    """0.4567 → 46 (for bar widths and labels); None stays None."""
    return None if share is None else round(share * 100)
