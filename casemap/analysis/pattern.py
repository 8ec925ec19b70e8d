"""His pattern over time: the case as a tidy frame, monthly counts and an escalation reading.

Pattern mapping looks at all his behaviours before, during and after the presenting incident
(shared/domain.md 1.6) and often finds that abuse continues or changes form after separation
(legal and systems abuse, technology-facilitated abuse: domain.md 2.1). This module gives the
timeline and the summary the numbers for that; it draws nothing.

Counting needs one day per record (:func:`placed`): the middle of when it happened or began.
Rates are records of his behaviours per month, so they read what is documented, not a count
of every act: a behaviour recorded as "most evenings for years" is one record.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from casemap import dates, taxonomy
from casemap.model import Case, Record

COLUMNS = (
    "id",
    "kind",
    "category",
    "lane",
    "earliest",
    "latest",
    "approximate",
    "uncertain",
    "interval",
    "people",
    "confidential",
    "description",
)

# The attribute that classifies each kind of record, and the taxonomy it comes from.
_CATEGORY = {
    "behaviours": "category",
    "efforts": "category",
    "impacts": "domain",
    "intersections": "factor",
    "responses": "kind",
    "statements": "kind",
    "plans.survivor": "status",
    "plans.perpetrator": "status",
}
_LANE = {
    "behaviours": "perpetrator",
    "efforts": "efforts",
    "intersections": "intersections",
    "responses": "responses",
    "statements": "statements",
    "plans.survivor": "plans",
    "plans.perpetrator": "plans",
}
_SEPARATED = ("separating", "post_separation")
_FLAGS = ("approximate", "uncertain", "interval", "confidential")
_TEXT = ("id", "kind", "category", "lane", "description")


def _when(section: str, record: Record) -> str | None:
    # A plan item with no date of its own sits on the timeline at its due date.
    if record.when is None and section.startswith("plans."):
        return record.due  # type: ignore[attr-defined]
    return record.when


def _records(case: Case) -> list[tuple[str, Record]]:
    # Worker-safety records are restricted and have no lane: they never reach the timeline.
    return [(s, r) for s, r in case.records() if not s.startswith("worker_safety.")]


def _people(section: str, r: Record) -> tuple[str, ...]:
    ids: list[str] = []
    if section == "behaviours":
        ids = [r.perpetrator, *r.targets, *r.children_present]  # type: ignore[attr-defined]
    elif section == "efforts":
        ids = [r.by, *r.children]  # type: ignore[attr-defined]
    elif section == "impacts":
        ids = [r.child]  # type: ignore[attr-defined]
    elif section == "intersections":
        ids = [r.person]  # type: ignore[attr-defined]
    elif section == "statements" and r.about:  # type: ignore[attr-defined]
        ids = [r.about]  # type: ignore[attr-defined]
    return tuple(dict.fromkeys(ids))


def frame(case: Case) -> pd.DataFrame:
    """One row per dated record, in date order (``COLUMNS``); undated records are left out.

    ``lane`` is ``perpetrator``, ``efforts``, ``child:<id>`` (impacts), ``intersections``,
    ``responses``, ``statements`` or ``plans``; ``latest`` is NaT for an ongoing range.
    """
    rows: dict[str, list] = {c: [] for c in COLUMNS}
    for section, r in _records(case):
        when = _when(section, r)
        if when is None:
            continue
        d = dates.parse(when)
        lane = f"child:{r.child}" if section == "impacts" else _LANE[section]  # type: ignore[attr-defined]
        rows["id"].append(r.id)
        rows["kind"].append(section)
        rows["category"].append(getattr(r, _CATEGORY[section]))
        rows["lane"].append(lane)
        rows["earliest"].append(d.earliest)
        rows["latest"].append(d.latest)
        rows["approximate"].append(d.approximate)
        rows["uncertain"].append(d.uncertain)
        rows["interval"].append(d.is_interval)
        rows["people"].append(_people(section, r))
        rows["confidential"].append(r.confidential)
        rows["description"].append(r.description)
    columns = {
        **rows,
        "earliest": pd.to_datetime(rows["earliest"]).astype("datetime64[ns]"),
        "latest": pd.to_datetime(rows["latest"]).astype("datetime64[ns]"),
        **{k: pd.array(rows[k], dtype=bool) for k in _FLAGS},
        **{k: pd.array(rows[k], dtype="str") for k in _TEXT},
        "people": pd.Series(rows["people"], dtype=object),
    }
    df = pd.DataFrame(columns, columns=list(COLUMNS))
    return df.sort_values(["earliest", "id"], kind="stable").reset_index(drop=True)


def undated(case: Case) -> list[tuple[str, Record]]:
    """The records that cannot be placed on the timeline, with their section."""
    return [(s, r) for s, r in _records(case) if _when(s, r) is None]


def placed(date: dates.EdtfDate) -> dt.date:
    """The one day that stands for a date when counting: the middle of when it happened or began.

    "2024-03" is mid-March and "2024" mid-year; a range counts where it began ("2014/2023-11"
    in mid-2014): a behaviour that went on for years is one record, and it began then.
    """
    return date.start.earliest + (date.start.latest - date.start.earliest) / 2


def _month(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day.year, day.month, 1)


def counts_by_month(case: Case) -> pd.DataFrame:
    """His behaviours per category per month (index: first day of each month, no gaps).

    Columns are the categories that occur, in taxonomy order; an empty case gives an empty frame.
    """
    counts: Counter[tuple[pd.Timestamp, str]] = Counter()
    for b in case.behaviours:
        if b.when is not None:
            counts[(_month(placed(dates.parse(b.when))), b.category)] += 1
    order = [c for c in taxonomy.ids("behaviour_category") if any(k[1] == c for k in counts)]
    if not counts:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="month"), dtype="int64")
    months = pd.date_range(min(k[0] for k in counts), max(k[0] for k in counts), freq="MS")
    # Built as a whole (setting cells one by one costs pandas ~20 us each, ms per redraw).
    df = pd.Series(counts).unstack(fill_value=0).reindex(index=months, columns=order, fill_value=0)
    df = df.astype("int64")
    df.index.name = "month"
    df.columns.name = None
    return df


# -- escalation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """His behaviours in one quarter: how many, how many a month, and of which categories."""

    start: dt.date
    end: dt.date
    behaviours: int
    per_month: float
    by_category: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Escalation:
    """How his behaviours changed over time, and across the separation.

    ``before`` and ``after`` are behaviours a month before and after the separation (None when
    there is no separation or nothing on that side); ``new_after`` are the categories that
    appear only after it; ``trend`` compares the first and second half of the dated span
    (``rising``, ``falling``, ``steady``, or ``unknown`` with too little to go on).
    """

    periods: tuple[Period, ...]
    separation: dt.date | None
    before: float | None
    after: float | None
    new_after: tuple[str, ...]
    trend: str
    reading: str


_DAYS_A_MONTH = 365.25 / 12
_CHANGE = 0.2  # a rate that moves by less than a fifth is read as "about the same"


def _months(start: dt.date, end: dt.date) -> float:
    # At least one month: two behaviours a week apart are not "eight a month".
    return max((end - start).days + 1, _DAYS_A_MONTH) / _DAYS_A_MONTH


def _direction(before: float, after: float) -> str:
    if after > before * (1 + _CHANGE):
        return "rising"
    if after < before * (1 - _CHANGE):
        return "falling"
    return "steady"


def separation_date(case: Case) -> dt.date | None:
    """The start of the earliest dated behaviour in the separating or post-separation phase.

    A phase belongs to one relationship. With an earlier partner in the case (her separation
    from him years ago), the separation read is the most recent one: for each survivor the
    earliest such behaviour aimed at her, then the latest of those. Separating behaviours aimed
    at no survivor (at a child, at the courts) count only when none is aimed at one.
    """
    separated = [b for b in case.behaviours if b.phase in _SEPARATED and b.when is not None]
    per_survivor = [
        min((dates.parse(b.when).earliest for b in separated if s.id in b.targets), default=None)
        for s in case.people_with_role("survivor")
    ]
    known = [d for d in per_survivor if d is not None]
    if known:
        return max(known)
    return min((dates.parse(b.when).earliest for b in separated), default=None)


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarters(placed_behaviours: list[tuple[dt.date, str]]) -> tuple[Period, ...]:
    buckets: dict[dt.date, Counter[str]] = {}
    for day, category in placed_behaviours:
        buckets.setdefault(_quarter_start(day), Counter())[category] += 1
    start = min(buckets)
    last = max(buckets)
    periods = []
    while start <= last:
        nxt = dt.date(start.year + (start.month + 2) // 12, (start.month + 2) % 12 + 1, 1)
        end = nxt - dt.timedelta(days=1)
        inside = buckets.get(start, Counter())
        n = sum(inside.values())
        by_category = tuple((c, inside[c]) for c in taxonomy.ids("behaviour_category") if inside[c])
        periods.append(Period(start, end, n, round(n / _months(start, end), 2), by_category))
        start = nxt
    return tuple(periods)


def _labels(categories: tuple[str, ...]) -> str:
    # Semicolons: some labels hold commas ("minimising, denying, blaming").
    words = [taxonomy.label("behaviour_category", c) for c in categories]
    return "; ".join(w[:1].lower() + w[1:] for w in words)


def escalation(case: Case) -> Escalation:
    """Frequency of his behaviours over time, by category, and across the separation."""
    dated = [b for b in case.behaviours if b.when is not None]
    if not dated:
        return Escalation((), None, None, None, (), "unknown", _NO_DATES)
    placed_behaviours = [(placed(dates.parse(b.when)), b.category) for b in dated]
    periods = _quarters(placed_behaviours)
    first = min(d for d, _ in placed_behaviours)
    # The case is known up to its latest dated record, not just his latest behaviour.
    known_to = max(
        [d for d, _ in placed_behaviours]
        + [dates.parse(w).latest or dates.parse(w).earliest for w in _all_whens(case)]
    )
    separation = separation_date(case)
    if separation is None:
        return _without_separation(periods, placed_behaviours, first, known_to)

    before_cats: set[str] = set()
    after_cats: Counter[str] = Counter()
    n_before = n_after = 0
    # By date, not phase: a phase may belong to an earlier relationship.
    for day, category in placed_behaviours:
        if day >= separation:
            n_after += 1
            after_cats[category] += 1
        else:
            n_before += 1
            before_cats.add(category)
    new_after = tuple(
        c for c in taxonomy.ids("behaviour_category") if after_cats[c] and c not in before_cats
    )
    after = round(n_after / _months(separation, max(known_to, separation)), 1)
    if n_before == 0:
        reading = (
            f"All {n_after} dated behaviours of his are from the separation on "
            f"({after:.1f} a month); nothing is recorded from before it."
        )
        return Escalation(periods, separation, None, after, new_after, "unknown", reading)
    before = round(n_before / _months(first, separation - dt.timedelta(days=1)), 1)
    trend = _direction(before, after)
    verb = {
        "rising": f"rose from {before:.1f} to {after:.1f} a month after the separation",
        "falling": f"fell from {before:.1f} to {after:.1f} a month after the separation",
        "steady": f"stayed at about {after:.1f} a month after the separation",
    }[trend]
    form = f" and changed form: {_labels(new_after)} began." if new_after else " in the same forms."
    if trend == "falling" and new_after:
        form = f", but changed form: {_labels(new_after)} began."
    return Escalation(
        periods, separation, before, after, new_after, trend, f"His behaviours {verb}{form}"
    )


_NO_DATES = "None of his behaviours is dated yet, so the pattern over time cannot be read."


def _all_whens(case: Case) -> list[str]:
    # Plan items are left out: their due dates lie ahead, not in what is known of the case.
    return [r.when for s, r in _records(case) if r.when is not None and not s.startswith("plans.")]


def _without_separation(
    periods: tuple[Period, ...],
    placed_behaviours: list[tuple[dt.date, str]],
    first: dt.date,
    known_to: dt.date,
) -> Escalation:
    n = len(placed_behaviours)
    if n < 2 or known_to - first < dt.timedelta(days=60):
        reading = (
            f"{n} dated behaviour{'s' if n != 1 else ''} of his, too few or too close together "
            "to read a trend; no separation is recorded."
        )
        return Escalation(periods, None, None, None, (), "unknown", reading)
    middle = first + (known_to - first) / 2
    early = sum(1 for d, _ in placed_behaviours if d < middle)
    late = n - early
    rate_early = round(early / _months(first, middle - dt.timedelta(days=1)), 1)
    rate_late = round(late / _months(middle, known_to), 1)
    trend = _direction(rate_early, rate_late)
    verb = {
        "rising": f"rose from {rate_early:.1f} to {rate_late:.1f} a month",
        "falling": f"fell from {rate_early:.1f} to {rate_late:.1f} a month",
        "steady": f"stayed at about {rate_late:.1f} a month",
    }[trend]
    reading = (
        f"His behaviours {verb} between the first and second half of the record "
        f"({first:%b %Y} to {known_to:%b %Y}); no separation is recorded."
    )
    return Escalation(periods, None, None, None, (), trend, reading)
