"""The review's machine-readable forms: the timeline as iCalendar and JSON, the coverage matrix as CSV."""

import csv
import datetime
import io

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .coverage import CoverageMatrix
from .models import RegionalReview, ReviewEvent

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _organizer_names(event: ReviewEvent) -> list[str]:
    return [link.display_name for link in event.organizer_links.all()]


def timeline_calendar(*, review: RegionalReview, events, review_url: str, host: str) -> bytes:
    """One all-day VEVENT per event whose days are known (exact day or range of days).

    Events known only to the month or the half-year are left out on purpose: a calendar entry needs a
    day, and putting one on the 1st would show a day nobody announced. The review page says so.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//GCM Regional Review Portal//timeline//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", review.title)
    stamp = review.updated_at or datetime.datetime.now(datetime.UTC)
    for event in events:
        if not event.has_known_days:
            continue
        last_day = event.date_end if event.date_precision == ReviewEvent.Precision.RANGE else event.date_start
        entry = Event()
        entry.add("uid", f"review-event-{event.pk}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.date_start)
        # DTEND of an all-day event is exclusive: the day after the last day.
        entry.add("dtend", last_day + datetime.timedelta(days=1))
        entry.add("summary", event.title)
        lines = [event.get_kind_display()]
        organizers = _organizer_names(event)
        if organizers:
            lines.append(_("Organized by: %(names)s") % {"names": ", ".join(organizers)})
        if event.is_closed:
            lines.append(_("Closed meeting (invitation only)."))
        if event.description:
            lines.append(event.description)
        entry.add("description", "\n".join(lines))
        entry.add("categories", [event.get_kind_display()])
        entry.add("class", "PUBLIC")
        entry.add("url", review_url)
        calendar.add_component(entry)
    return calendar.to_ical()


def _texts(obj, field: str) -> dict[str, str]:
    return {code: getattr(obj, f"{field}_{code}") or "" for code, _name in settings.LANGUAGES}


def timeline_json(*, review: RegionalReview, events, review_url: str) -> dict:
    """The review and its timeline: titles in every language, the date at its precision."""
    return {
        "review": {
            "slug": review.slug,
            "url": review_url,
            "region": review.region.key,
            "round": review.round,
            "title": _texts(review, "title"),
            "status": review.status,
        },
        "events": [
            {
                "id": event.pk,
                "phase": event.phase,
                "kind": event.kind,
                "title": _texts(event, "title"),
                "date": {
                    "precision": event.date_precision,
                    "start": event.date_start.isoformat(),
                    "end": event.date_end.isoformat() if event.date_end else None,
                    "last_possible_day": event.last_possible_day.isoformat(),
                    "display": event.date_display,
                },
                "closed": event.is_closed,
                "organizers": _organizer_names(event),
                "objectives": [objective.number for objective in event.objectives.all()],
            }
            for event in events
        ],
    }


def coverage_csv(*, matrix: CoverageMatrix) -> str:
    """The matrix as CSV text; every text cell is neutralised against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = [_("Thematic area"), _("Thematic area title"), _("Objective"), _("Objective title")]
    header += [str(column.label) for column in matrix.columns]
    header.append(_("Covered"))
    writer.writerow([neutralise_cell(cell) for cell in header])
    for group in matrix.groups:
        for row in group.rows:
            writer.writerow(
                [
                    group.area.number,
                    neutralise_cell(group.area.title),
                    row.objective.number,
                    neutralise_cell(row.objective.title),
                    *row.counts,
                    neutralise_cell(_("yes") if row.covered else _("no")),
                ]
            )
    return buffer.getvalue()
