"""The EDTF subset of casemap/1: parse, order, and place dates on a time axis.

Consultation dates are often approximate, so a date is an *interval* of days with flags:

==================  =======================================
``2024-03-02``      one day
``2024-03``         the whole month
``2024``            the whole year
``2024-03~``        approximately March 2024
``2024-03?``        possibly March 2024
``2023-06/2024-01`` from June 2023 to January 2024
``2023-06/..``      from June 2023, ongoing (no known end)
==================  =======================================
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

_POINT = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[~?%])?$")

EXAMPLES = "2024-03-02, 2024-03, 2024, 2024-03~, 2024-03?, 2023-06/2024-01 or 2023-06/.."


class DateError(ValueError):
    """A date that is not in the EDTF subset of casemap/1; the message says what was expected."""


@dataclass(frozen=True, order=True)
class Point:
    """One end of a date: the first and last day it can mean, and how sure it is."""

    earliest: dt.date
    latest: dt.date
    approximate: bool = False
    uncertain: bool = False
    precision: str = "day"  # day | month | year


@dataclass(frozen=True)
class EdtfDate:
    """A parsed date: a single point, an interval, or an interval open to the right."""

    text: str
    start: Point
    end: Point | None  # None: a single point; see ``ongoing`` for an open interval
    ongoing: bool = False

    @property
    def is_interval(self) -> bool:
        return self.end is not None or self.ongoing

    @property
    def earliest(self) -> dt.date:
        return self.start.earliest

    @property
    def latest(self) -> dt.date | None:
        """The last day the date can mean; None when the interval is ongoing."""
        if self.ongoing:
            return None
        return (self.end or self.start).latest

    @property
    def approximate(self) -> bool:
        return self.start.approximate or bool(self.end and self.end.approximate)

    @property
    def uncertain(self) -> bool:
        return self.start.uncertain or bool(self.end and self.end.uncertain)

    @property
    def fuzzy(self) -> bool:
        """True when the date is not a single known day: approximate, uncertain or coarse."""
        return (
            self.approximate
            or self.uncertain
            or self.start.precision != "day"
            or bool(self.end and self.end.precision != "day")
        )

    def sort_key(self) -> tuple[dt.date, dt.date]:
        return (self.earliest, self.latest or dt.date.max)

    def midpoint(self, today: dt.date | None = None) -> dt.date:
        """Where a single marker for this date goes on an axis."""
        last = self.latest or today or dt.date.today()
        return self.earliest + (last - self.earliest) / 2

    def shifted(self, days: int) -> str:
        """The same date moved by ``days``, at the same precision and with the same flags."""
        return _shift_text(self.text, days)


def _point(text: str, where: str) -> Point:
    m = _POINT.match(text)
    if not m:
        raise DateError(f"'{text}' is not a date{where}: expected e.g. {EXAMPLES}")
    y, mo, d, q = int(m["y"]), m["m"], m["d"], m["q"]
    approximate = q in ("~", "%")
    uncertain = q in ("?", "%")
    if mo is None:
        return Point(dt.date(y, 1, 1), dt.date(y, 12, 31), approximate, uncertain, "year")
    month = int(mo)
    if not 1 <= month <= 12:
        raise DateError(f"'{text}' has month {mo}{where}: a month is 01 to 12")
    last_day = calendar.monthrange(y, month)[1]
    if d is None:
        return Point(
            dt.date(y, month, 1), dt.date(y, month, last_day), approximate, uncertain, "month"
        )
    day = int(d)
    if not 1 <= day <= last_day:
        raise DateError(f"'{text}' has day {d}{where}: {y}-{mo} has days 01 to {last_day}")
    date = dt.date(y, month, day)
    return Point(date, date, approximate, uncertain, "day")


@lru_cache(maxsize=65536)
def parse(text: str) -> EdtfDate:
    """Parse an EDTF-subset date; raise DateError with a plain-words message when it is not one."""
    if not isinstance(text, str):
        raise DateError(f"expected a date as text, e.g. {EXAMPLES}")
    s = text.strip()
    if s != text or not s:
        raise DateError(f"'{text}' is not a date: expected e.g. {EXAMPLES}, without spaces")
    if "/" not in s:
        return EdtfDate(text, _point(s, ""), None)
    left, _, right = s.partition("/")
    if "/" in right:
        raise DateError(f"'{text}' has more than one '/': an interval is START/END")
    start = _point(left, " (start of the interval)")
    if right == "..":
        return EdtfDate(text, start, None, ongoing=True)
    end = _point(right, " (end of the interval)")
    if end.latest < start.earliest:
        raise DateError(f"'{text}' ends before it starts")
    return EdtfDate(text, start, end)


def check(text: str) -> str:
    """Validate a date string for the models: return it unchanged or raise DateError."""
    parse(text)
    return text


def _shift_point(text: str, days: int) -> str:
    m = _POINT.match(text)
    assert m, text
    q = m["q"] or ""
    p = _point(text, "")
    moved = p.earliest + dt.timedelta(days=days)
    if p.precision == "year":
        return f"{moved.year:04d}{q}"
    if p.precision == "month":
        return f"{moved.year:04d}-{moved.month:02d}{q}"
    return f"{moved.isoformat()}{q}"


def _shift_text(text: str, days: int) -> str:
    if "/" not in text:
        return _shift_point(text, days)
    left, _, right = text.partition("/")
    right = ".." if right == ".." else _shift_point(right, days)
    return f"{_shift_point(left, days)}/{right}"


def parse_or_none(text: str | None) -> EdtfDate | None:
    """Parse, mapping None (unknown) to None."""
    return None if text is None else parse(text)
