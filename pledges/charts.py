"""Server-side bar charts: geometry computed here, drawn as SVG by pledges/includes/bar_chart.html.

The SVG uses presentation attributes and CSS classes only (the Content-Security-Policy forbids inline
styles), is laid out left-to-right or mirrored for Arabic, and comes with a text alternative (title,
description and a data table) so it reads without sight and without JavaScript.
"""

from typing import Any

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH = 640
LABEL_WIDTH = 250
BAR_START = 262
BAR_MAX = 320
ROW_HEIGHT = 26
BAR_HEIGHT = 18
PADDING = 6
LABEL_CHARS = 36


def bar_chart(
    *, key: str, title: str, label_heading: str, rows: list[dict[str, Any]], rtl: bool
) -> dict[str, Any]:
    largest = max((row["value"] for row in rows), default=0)
    total = sum(row["value"] for row in rows)
    drawn = []
    for index, row in enumerate(rows):
        width = round(BAR_MAX * row["value"] / largest, 1) if largest else 0
        y = PADDING + index * ROW_HEIGHT
        if rtl:
            bar_x = WIDTH - BAR_START - width
            label_x, label_anchor = WIDTH - LABEL_WIDTH, "start"
            value_x, value_anchor = bar_x - 6, "end"
        else:
            bar_x = BAR_START
            label_x, label_anchor = LABEL_WIDTH, "end"
            value_x, value_anchor = BAR_START + width + 6, "start"
        drawn.append(
            {
                **row,
                "label": str(row["label"]),
                "short_label": Truncator(str(row["label"])).chars(LABEL_CHARS),
                "bar_x": bar_x,
                "bar_y": y,
                "bar_width": width,
                "text_y": y + BAR_HEIGHT - 4,
                "label_x": label_x,
                "label_anchor": label_anchor,
                "value_x": value_x,
                "value_anchor": value_anchor,
                "css": row.get("css", ""),
            }
        )
    leader = max(rows, key=lambda row: row["value"]) if rows and largest else None
    description = ngettext(
        "%(count)d pledge in %(rows)d categories.", "%(count)d pledges in %(rows)d categories.", total
    ) % {"count": total, "rows": len(rows)}
    if leader is not None:
        description += " " + _("The largest is %(label)s with %(value)d.") % {
            "label": leader["label"],
            "value": leader["value"],
        }
    return {
        "key": key,
        "title": str(title),
        "label_heading": str(label_heading),
        "description": description,
        "rows": drawn,
        "total": total,
        "width": WIDTH,
        "height": PADDING * 2 + len(rows) * ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
    }
