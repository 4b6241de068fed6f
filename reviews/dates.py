"""Timeline dates known to a day, a range of days, a month or a half-year.

A date is stored as its first possible day plus a precision; `period_end` gives the last possible day.
Timelines sort on that last day: an event known only as "July 2024" then comes after the events dated to
a day in July, and "second half of 2024" after everything dated inside that half-year, which is the order
the review road maps themselves use (an outcome document due in September is presented to a plenary in
"the second half of 2024").

Rendering uses Django's own localized month names, so each language shows the date at its own precision
and never invents a day: "July 2023" / "juillet 2023" / "يوليو 2023".
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DAY = "day"
RANGE = "range"
MONTH = "month"
HALF_YEAR = "half_year"


def half_of(date: datetime.date) -> int:
    return 1 if date.month < 7 else 2


def period_end(*, start: datetime.date, end: datetime.date | None, precision: str) -> datetime.date:
    """The last day the event can fall on."""
    if precision == RANGE and end is not None:
        return end
    if precision == MONTH:
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == HALF_YEAR:
        return datetime.date(start.year, 6, 30) if half_of(start) == 1 else datetime.date(start.year, 12, 31)
    return start


def validation_errors(
    *, start: datetime.date | None, end: datetime.date | None, precision: str
) -> dict[str, list]:
    """The reasons a (start, end, precision) triple cannot be stored, by field name; empty when valid."""
    errors: dict[str, list] = {}
    if start is None:
        return errors
    if precision == RANGE:
        if end is None:
            errors["date_end"] = [gettext_lazy("A range of days needs a last day.")]
        elif end < start:
            errors["date_end"] = [gettext_lazy("The last day cannot be before the first day.")]
        elif end == start:
            errors["date_end"] = [
                gettext_lazy("The last day is the first day: choose the precision “Exact day” instead.")
            ]
    elif end is not None:
        if end < start:
            errors["date_end"] = [gettext_lazy("The last day cannot be before the first day.")]
        else:
            errors["date_end"] = [gettext_lazy("Only a range of days has a last day: leave it empty.")]
    if precision == MONTH and start.day != 1:
        errors["date_start"] = [
            gettext_lazy(
                "A date known only to the month cannot name a day: it is stored as the 1st of the month. "
                "Choose the precision “Exact day” if the day is known."
            )
        ]
    if precision == HALF_YEAR and (start.day, start.month) not in ((1, 1), (1, 7)):
        errors["date_start"] = [
            gettext_lazy(
                "A half-year date is stored as 1 January (first half) or 1 July (second half) "
                "and cannot name a month or a day."
            )
        ]
    return errors


def date_from_parts(
    *,
    precision: str,
    year: int,
    month: int | None = None,
    day: int | None = None,
    half: int | None = None,
) -> datetime.date:
    """The stored first day for a date given as parts; raises ValidationError naming the offending part."""
    if precision == HALF_YEAR:
        if half not in (1, 2):
            raise ValidationError(
                {"half": gettext_lazy("The half-year must be 1 (January–June) or 2 (July–December).")}
            )
        if month or day:
            raise ValidationError(
                {"month": gettext_lazy("A half-year date cannot name a month or a day: leave them empty.")}
            )
        return datetime.date(year, 1 if half == 1 else 7, 1)
    if half:
        raise ValidationError({"half": gettext_lazy("Give a half-year only with the precision “Half-year”.")})
    if not month:
        raise ValidationError({"month": gettext_lazy("Give the month.")})
    if precision == MONTH:
        if day:
            raise ValidationError(
                {
                    "day": gettext_lazy(
                        "A date known only to the month cannot name a day: leave the day empty, "
                        "or choose the precision “Exact day”."
                    )
                }
            )
        return datetime.date(year, month, 1)
    if not day:
        raise ValidationError({"day": gettext_lazy("Give the day.")})
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ValidationError({"day": gettext_lazy("This month has no such day.")}) from exc


def _month_year(date: datetime.date) -> str:
    return dateformat.format(date, "F Y")


def _day_month(date: datetime.date) -> str:
    return dateformat.format(date, "j F")


def format_event_date(*, start: datetime.date, end: datetime.date | None, precision: str) -> str:
    """The date in the active language, at its own precision."""
    if precision == MONTH:
        return _month_year(start)
    if precision == HALF_YEAR:
        if half_of(start) == 1:
            return _("first half of %(year)s") % {"year": start.year}
        return _("second half of %(year)s") % {"year": start.year}
    if precision == RANGE and end is not None and end != start:
        if (start.year, start.month) == (end.year, end.month):
            return _("%(first_day)s–%(last_day)s %(month_year)s") % {
                "first_day": start.day,
                "last_day": end.day,
                "month_year": _month_year(start),
            }
        if start.year == end.year:
            return _("%(first_day_month)s – %(last_day_month)s %(year)s") % {
                "first_day_month": _day_month(start),
                "last_day_month": _day_month(end),
                "year": end.year,
            }
        return _("%(first_date)s – %(last_date)s") % {
            "first_date": dateformat.format(start, "j F Y"),
            "last_date": dateformat.format(end, "j F Y"),
        }
    return dateformat.format(start, "j F Y")


def machine_date(*, start: datetime.date, end: datetime.date | None, precision: str) -> str:
    """A value for <time datetime>: a date, a month ("2023-07") or a year for a half-year."""
    if precision == MONTH:
        return start.strftime("%Y-%m")
    if precision == HALF_YEAR:
        return str(start.year)
    return start.isoformat()
