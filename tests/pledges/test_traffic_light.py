"""The traffic light at each boundary, in Python and in SQL (they must always agree)."""

import datetime

import pytest

from pledges.models import Pledge
from pledges.traffic_light import (
    ImplementationStatus,
    TrafficLight,
    cutoffs,
    traffic_light,
    with_traffic_light,
)
from tests.pledges.factories import PledgeFactory

TODAY = datetime.date(2025, 5, 31)


def light(last_heard_on, *, status=ImplementationStatus.IN_PROGRESS, end_date=None, today=TODAY):
    return traffic_light(
        implementation_status=status, last_heard_on=last_heard_on, end_date=end_date, today=today
    )


def test_cutoffs_clamp_to_the_end_of_shorter_months():
    assert cutoffs(TODAY) == (datetime.date(2024, 8, 31), datetime.date(2024, 5, 31))
    assert cutoffs(datetime.date(2025, 11, 30))[0] == datetime.date(2025, 2, 28)


@pytest.mark.parametrize(
    ("last_heard_on", "expected"),
    [
        (TODAY, TrafficLight.ON_TRACK),
        (datetime.date(2024, 9, 1), TrafficLight.ON_TRACK),  # 9 months minus a day
        (datetime.date(2024, 8, 31), TrafficLight.NEEDS_UPDATE),  # exactly 9 months
        (datetime.date(2024, 6, 1), TrafficLight.NEEDS_UPDATE),  # 12 months minus a day
        (datetime.date(2024, 5, 31), TrafficLight.OVERDUE),  # exactly 12 months
        (datetime.date(2020, 1, 1), TrafficLight.OVERDUE),
    ],
)
def test_time_since_last_update(last_heard_on, expected):
    assert light(last_heard_on) == expected


def test_end_date_is_in_time_on_the_day_and_overdue_the_day_after():
    assert light(TODAY, end_date=TODAY) == TrafficLight.ON_TRACK
    assert light(TODAY, end_date=TODAY - datetime.timedelta(days=1)) == TrafficLight.OVERDUE


def test_fulfilled_wins_over_everything():
    assert light(
        datetime.date(2000, 1, 1), status=ImplementationStatus.FULFILLED, end_date=datetime.date(2001, 1, 1)
    ) == (TrafficLight.FULFILLED)


def test_discontinued_counts_as_overdue():
    assert light(TODAY, status=ImplementationStatus.DISCONTINUED) == TrafficLight.OVERDUE


@pytest.mark.django_db
def test_sql_and_python_agree_at_every_boundary():
    cases = [
        {"last_progress_on": TODAY},
        {"last_progress_on": datetime.date(2024, 9, 1)},
        {"last_progress_on": datetime.date(2024, 8, 31)},
        {"last_progress_on": datetime.date(2024, 6, 1)},
        {"last_progress_on": datetime.date(2024, 5, 31)},
        {"last_progress_on": TODAY, "end_date": TODAY},
        {"last_progress_on": TODAY, "end_date": TODAY - datetime.timedelta(days=1), "start_date": None},
        {"last_progress_on": None, "published_at": datetime.datetime(2024, 8, 31, 12, tzinfo=datetime.UTC)},
        {"last_progress_on": None, "published_at": datetime.datetime(2024, 9, 1, 0, 5, tzinfo=datetime.UTC)},
        {
            "last_progress_on": datetime.date(2019, 1, 1),
            "implementation_status": ImplementationStatus.FULFILLED,
        },
        {"last_progress_on": TODAY, "implementation_status": ImplementationStatus.DISCONTINUED},
    ]
    pledges = [PledgeFactory(**case) for case in cases]
    in_sql = dict(with_traffic_light(Pledge.objects.all(), today=TODAY).values_list("pk", "light"))
    in_python = {p.pk: p.traffic_light(today=TODAY) for p in Pledge.objects.all()}
    assert in_sql == in_python
    assert [in_sql[p.pk] for p in pledges] == [
        "on_track",
        "on_track",
        "needs_update",
        "needs_update",
        "overdue",
        "on_track",
        "overdue",
        "needs_update",
        "on_track",
        "fulfilled",
        "overdue",
    ]
