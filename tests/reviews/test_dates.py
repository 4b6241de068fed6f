import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reviews import dates

D = datetime.date


@pytest.mark.parametrize(
    ("lang", "start", "end", "precision", "expected"),
    [
        ("en", D(2023, 7, 1), None, dates.MONTH, "July 2023"),
        ("fr", D(2023, 7, 1), None, dates.MONTH, "juillet 2023"),
        ("ar", D(2023, 7, 1), None, dates.MONTH, "يوليو 2023"),
        ("en", D(2024, 7, 2), None, dates.DAY, "2 July 2024"),
        ("fr", D(2024, 7, 2), None, dates.DAY, "2 juillet 2024"),
        ("ar", D(2024, 7, 2), None, dates.DAY, "2 يوليو 2024"),
        ("en", D(2024, 7, 3), D(2024, 7, 4), dates.RANGE, "3–4 July 2024"),
        ("fr", D(2024, 7, 3), D(2024, 7, 4), dates.RANGE, "3–4 juillet 2024"),
        ("ar", D(2024, 7, 3), D(2024, 7, 4), dates.RANGE, "3–4 يوليو 2024"),
        ("en", D(2024, 6, 30), D(2024, 7, 2), dates.RANGE, "30 June – 2 July 2024"),
        ("fr", D(2024, 6, 30), D(2024, 7, 2), dates.RANGE, "30 juin – 2 juillet 2024"),
        ("ar", D(2024, 6, 30), D(2024, 7, 2), dates.RANGE, "30 يونيو – 2 يوليو 2024"),
        ("en", D(2023, 12, 30), D(2024, 1, 2), dates.RANGE, "30 December 2023 – 2 January 2024"),
        ("en", D(2024, 7, 1), None, dates.HALF_YEAR, "second half of 2024"),
        ("fr", D(2024, 7, 1), None, dates.HALF_YEAR, "second semestre 2024"),
        ("ar", D(2024, 7, 1), None, dates.HALF_YEAR, "النصف الثاني من عام 2024"),
        ("en", D(2025, 1, 1), None, dates.HALF_YEAR, "first half of 2025"),
        ("fr", D(2025, 1, 1), None, dates.HALF_YEAR, "premier semestre 2025"),
        ("ar", D(2025, 1, 1), None, dates.HALF_YEAR, "النصف الأول من عام 2025"),
    ],
)
def test_each_precision_renders_in_each_language(lang, start, end, precision, expected):
    with translation.override(lang):
        assert dates.format_event_date(start=start, end=end, precision=precision) == expected


def test_a_month_precision_date_never_shows_a_day():
    for lang in ("ar", "en", "fr"):
        with translation.override(lang):
            text = dates.format_event_date(start=D(2023, 9, 1), end=None, precision=dates.MONTH)
        assert "1" not in text.replace("2023", "")


@pytest.mark.parametrize(
    ("start", "end", "precision", "last"),
    [
        (D(2024, 7, 2), None, dates.DAY, D(2024, 7, 2)),
        (D(2024, 7, 3), D(2024, 7, 4), dates.RANGE, D(2024, 7, 4)),
        (D(2024, 2, 1), None, dates.MONTH, D(2024, 2, 29)),
        (D(2023, 9, 1), None, dates.MONTH, D(2023, 9, 30)),
        (D(2024, 1, 1), None, dates.HALF_YEAR, D(2024, 6, 30)),
        (D(2024, 7, 1), None, dates.HALF_YEAR, D(2024, 12, 31)),
    ],
)
def test_period_end_is_the_last_possible_day(start, end, precision, last):
    assert dates.period_end(start=start, end=end, precision=precision) == last


def test_machine_dates_follow_the_precision():
    assert dates.machine_date(start=D(2023, 7, 1), end=None, precision=dates.MONTH) == "2023-07"
    assert dates.machine_date(start=D(2024, 7, 1), end=None, precision=dates.HALF_YEAR) == "2024"
    assert dates.machine_date(start=D(2024, 7, 3), end=D(2024, 7, 4), precision=dates.RANGE) == "2024-07-03"


def test_date_from_parts_builds_the_stored_first_day():
    assert dates.date_from_parts(precision=dates.MONTH, year=2023, month=7) == D(2023, 7, 1)
    assert dates.date_from_parts(precision=dates.HALF_YEAR, year=2024, half=2) == D(2024, 7, 1)
    assert dates.date_from_parts(precision=dates.DAY, year=2024, month=7, day=2) == D(2024, 7, 2)


@pytest.mark.parametrize(
    ("parts", "field", "message"),
    [
        ({"precision": dates.HALF_YEAR, "year": 2024, "half": 3}, "half", "must be 1 (January–June) or 2"),
        ({"precision": dates.HALF_YEAR, "year": 2024, "half": 0}, "half", "must be 1 (January–June) or 2"),
        ({"precision": dates.MONTH, "year": 2023, "month": 7, "day": 15}, "day", "cannot name a day"),
        ({"precision": dates.DAY, "year": 2023, "month": 2, "day": 30}, "day", "no such day"),
        ({"precision": dates.DAY, "year": 2023, "month": 7}, "day", "Give the day"),
        ({"precision": dates.MONTH, "year": 2023}, "month", "Give the month"),
    ],
)
def test_date_from_parts_rejects_bad_parts_with_a_clear_message(parts, field, message):
    with pytest.raises(ValidationError) as caught:
        dates.date_from_parts(**parts)
    assert message in " ".join(caught.value.message_dict[field])
