"""Geometry of the visual timeline: an SVG drawn on the server (no script, no style attributes), one row
per event, each bar spanning the days the event can fall on. In right-to-left languages time runs from
right to left, so the x axis is mirrored."""

import datetime
from dataclasses import dataclass

WIDTH = 960
ROW_HEIGHT = 16
ROW_GAP = 6
AXIS_HEIGHT = 28
MIN_BAR = 6


@dataclass(frozen=True)
class Bar:
    event: object
    number: int
    x: float
    y: float
    width: float
    height: int
    approximate: bool


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    text_x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    first: datetime.date
    last: datetime.date


def build_chart(events, *, rtl: bool) -> Chart | None:
    """None when there is nothing to draw."""
    events = list(events)
    if not events:
        return None
    first = min(e.date_start for e in events).replace(day=1)
    last_day = max(e.last_possible_day for e in events)
    # The axis ends on the first day of the month after the last event, so every month is drawn whole.
    last = (last_day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    span = (last - first).days or 1

    def x_of(day: datetime.date) -> float:
        return round((day - first).days / span * WIDTH, 1)

    def place(x: float, width: float) -> float:
        return round(WIDTH - x - width, 1) if rtl else x

    bars = []
    for index, event in enumerate(events):
        start = x_of(event.date_start)
        end = x_of(event.last_possible_day + datetime.timedelta(days=1))
        width = max(round(end - start, 1), MIN_BAR)
        start = min(start, WIDTH - width)
        bars.append(
            Bar(
                event=event,
                number=index + 1,
                x=place(start, width),
                y=AXIS_HEIGHT + index * (ROW_HEIGHT + ROW_GAP),
                width=width,
                height=ROW_HEIGHT,
                approximate=not event.has_known_days,
            )
        )
    ticks = []
    year = first.year if first.month == 1 else first.year + 1
    while datetime.date(year, 1, 1) < last:
        x = place(x_of(datetime.date(year, 1, 1)), 0)
        ticks.append(Tick(x=x, label=str(year), text_x=x - 4 if rtl else x + 4))
        year += 1
    height = AXIS_HEIGHT + len(events) * (ROW_HEIGHT + ROW_GAP)
    return Chart(width=WIDTH, height=height, bars=tuple(bars), ticks=tuple(ticks), first=first, last=last_day)
