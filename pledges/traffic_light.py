"""The traffic light of a pledge's implementation, in Python (one pledge) and in SQL (counts and filters).

The rule, checked in this order:
- fulfilled: the latest progress update says "fulfilled";
- overdue: the pledge was discontinued, or its end date has passed (the end date itself still counts as in
  time), or nothing has been heard for 12 months or more: the latest update (or, before the first update,
  the publication date) is on or before the same calendar day 12 months ago;
- needs update: nothing has been heard for 9 months or more (same reckoning, 9 months);
- on track: otherwise.
"Same calendar day n months ago" clamps to the month's last day (31 May minus 3 months is 28/29 February).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

NEEDS_UPDATE_AFTER_MONTHS = 9
OVERDUE_AFTER_MONTHS = 12


class TrafficLight(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    NEEDS_UPDATE = "needs_update", _("Needs an update")
    OVERDUE = "overdue", _("Overdue")
    FULFILLED = "fulfilled", _("Fulfilled")


class ImplementationStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")
    DISCONTINUED = "discontinued", _("Discontinued")


def cutoffs(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(needs-update cutoff, overdue cutoff): a last sign of life on or before a cutoff trips that light."""
    return today - relativedelta(months=NEEDS_UPDATE_AFTER_MONTHS), today - relativedelta(
        months=OVERDUE_AFTER_MONTHS
    )


def traffic_light(
    *,
    implementation_status: str,
    last_heard_on: datetime.date,
    end_date: datetime.date | None,
    today: datetime.date,
) -> TrafficLight:
    if implementation_status == ImplementationStatus.FULFILLED:
        return TrafficLight.FULFILLED
    needs_update_cutoff, overdue_cutoff = cutoffs(today)
    if (
        implementation_status == ImplementationStatus.DISCONTINUED
        or (end_date is not None and end_date < today)
        or last_heard_on <= overdue_cutoff
    ):
        return TrafficLight.OVERDUE
    if last_heard_on <= needs_update_cutoff:
        return TrafficLight.NEEDS_UPDATE
    return TrafficLight.ON_TRACK


def with_traffic_light(queryset: models.QuerySet, *, today: datetime.date) -> models.QuerySet:
    """Annotate `light` (and `last_heard_on`) on a Pledge queryset: the same rule as `traffic_light`, in SQL."""
    needs_update_cutoff, overdue_cutoff = cutoffs(today)
    return queryset.annotate(
        last_heard_on=Coalesce(
            "last_progress_on",
            Cast("published_at", models.DateField()),
            Cast("created_at", models.DateField()),
        ),
        light=models.Case(
            models.When(
                implementation_status=ImplementationStatus.FULFILLED,
                then=models.Value(TrafficLight.FULFILLED),
            ),
            models.When(
                models.Q(implementation_status=ImplementationStatus.DISCONTINUED)
                | models.Q(end_date__lt=today)
                | models.Q(last_heard_on__lte=overdue_cutoff),
                then=models.Value(TrafficLight.OVERDUE),
            ),
            models.When(last_heard_on__lte=needs_update_cutoff, then=models.Value(TrafficLight.NEEDS_UPDATE)),
            default=models.Value(TrafficLight.ON_TRACK),
            output_field=models.CharField(),
        ),
    )
