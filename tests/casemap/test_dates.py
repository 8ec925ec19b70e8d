"""The EDTF subset of casemap/1 (casemap/dates.py)."""

import datetime as dt

import pytest

from casemap import dates

D = dt.date


@pytest.mark.parametrize(
    "text, earliest, latest, approximate, uncertain, interval",
    [
        ("2024-03-02", D(2024, 3, 2), D(2024, 3, 2), False, False, False),
        ("2024-03", D(2024, 3, 1), D(2024, 3, 31), False, False, False),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), False, False, False),
        ("2024", D(2024, 1, 1), D(2024, 12, 31), False, False, False),
        ("2024-03~", D(2024, 3, 1), D(2024, 3, 31), True, False, False),
        ("2024-03?", D(2024, 3, 1), D(2024, 3, 31), False, True, False),
        ("2023-06/2024-01", D(2023, 6, 1), D(2024, 1, 31), False, False, True),
        ("2023-06~/2024-01?", D(2023, 6, 1), D(2024, 1, 31), True, True, True),
        ("2023-06/..", D(2023, 6, 1), None, False, False, True),
    ],
)
def test_parse_gives_interval_and_flags(text, earliest, latest, approximate, uncertain, interval):
    """Every written form of the subset parses to the right days and flags."""
    d = dates.parse(text)
    assert (d.earliest, d.latest, d.approximate, d.uncertain, d.is_interval) == (
        earliest, latest, approximate, uncertain, interval)


@pytest.mark.parametrize(
    "text, words",
    [
        ("2024-13", "month 13"),
        ("2024-02-30", "days 01 to 29"),
        ("March 2024", "expected e.g."),
        ("2024-03-02 ", "without spaces"),
        ("2024/2023", "ends before it starts"),
        ("2024/2025/2026", "more than one"),
        ("", "not a date"),
        ("24-03", "expected e.g."),
    ],
)
def test_bad_dates_say_what_is_wrong(text, words):
    """A date outside the subset raises DateError whose message explains the problem."""
    with pytest.raises(dates.DateError, match=words):
        dates.parse(text)


def test_dates_sort_by_earliest_then_latest():
    """Sorting by sort_key puts coarse dates before finer ones that start the same day."""
    texts = ["2024-03-15", "2024", "2023-06/..", "2024-03", "2023-12~"]
    ordered = sorted(texts, key=lambda t: dates.parse(t).sort_key())
    assert ordered == ["2023-06/..", "2023-12~", "2024", "2024-03", "2024-03-15"]


@pytest.mark.parametrize(
    "text, days, expected",
    [("2024-03-02", 10, "2024-03-12"), ("2024-03~", 31, "2024-04~"), ("2024?", 400, "2025?"),
     ("2023-06/2024-01", 30, "2023-07/2024-01"), ("2023-06-01/..", -1, "2023-05-31/..")],
)
def test_shift_keeps_precision_and_flags(text, days, expected):
    """Shifting a date moves it by whole days and keeps its precision, flags and openness."""
    assert dates.parse(text).shifted(days) == expected


def test_midpoint_of_ongoing_uses_today():
    """An ongoing interval is placed between its start and the given 'today'."""
    d = dates.parse("2024-01-01/..")
    assert d.midpoint(today=D(2024, 1, 31)) == D(2024, 1, 16)
