"""His pattern over time (analysis/pattern.py): the tidy frame, monthly counts, escalation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from casemap.analysis import pattern
from casemap.model import parse_case
from tests.strategies import cases

PEOPLE = [
    {"id": "p1", "role": "perpetrator", "name": "Marco", "label": "Father"},
    {"id": "s1", "role": "survivor", "name": "Ana", "label": "Mother"},
    {"id": "s2", "role": "survivor", "name": "Dora", "label": "Previous partner"},
    {"id": "c1", "role": "child", "name": "Leo", "label": "Child A"},
]


def case(behaviours=(), **sections: Any):
    data = {"format": "casemap/1", "case_id": "t", "title": "T", "people": PEOPLE}
    data["behaviours"] = [
        {"id": f"b{i}", "perpetrator": "p1", "targets": ["s1"], **b}
        for i, b in enumerate(behaviours, 1)
    ]
    return parse_case(data | sections)


def b(when: str | None, category: str = "physical_violence", phase: str = "together", **kw):
    out = {"category": category, "phase": phase, **kw}
    if when is not None:
        out["when"] = when
    return out


# -- frame -----------------------------------------------------------------------------------


def mixed_case():
    return case(
        [
            b("2023-03-02", targets=["s1", "c1"], children_present=["c1"]),
            b("2022-06/..", "monitoring_stalking", frequency="ongoing"),
            b(None, "threats"),
        ],
        efforts=[
            {
                "id": "e1",
                "by": "s1",
                "category": "safety_planning",
                "when": "2023-03~",
                "children": ["c1"],
            }
        ],
        impacts=[
            {
                "id": "i1",
                "child": "c1",
                "domain": "educational",
                "when": "2023?",
                "caused_by": ["b1"],
            }
        ],
        intersections=[{"id": "n1", "person": "s1", "factor": "mental_health"}],
        responses=[{"id": "r1", "kind": "police_callout", "when": "2023-03-02"}],
        statements=[{"id": "st1", "kind": "danger", "about": "p1", "when": "2023-04"}],
        plans={"survivor": [], "perpetrator": [{"id": "pp1", "action": "BIP", "due": "2024-01"}]},
        worker_safety={"threats_to_workers": [{"id": "w1", "when": "2023-05"}]},
    )


def test_frame_has_exactly_the_documented_columns():
    """frame() gives the columns the timeline relies on, in order, with date and bool dtypes."""
    df = pattern.frame(mixed_case())
    assert tuple(df.columns) == pattern.COLUMNS
    assert str(df["earliest"].dtype) == "datetime64[ns]" == str(df["latest"].dtype)
    for col in ("approximate", "uncertain", "interval", "confidential"):
        assert df[col].dtype == bool


def test_frame_has_one_row_per_dated_record_and_undated_has_the_rest():
    """Dated records become rows; undated ones and restricted worker-safety records do not."""
    c = mixed_case()
    df = pattern.frame(c)
    assert sorted(df["id"]) == ["b1", "b2", "e1", "i1", "pp1", "r1", "st1"]
    assert [r.id for _, r in pattern.undated(c)] == ["b3", "n1"]


@pytest.mark.parametrize(
    ("rid", "expected"),
    [
        (
            "b1",
            {
                "kind": "behaviours",
                "category": "physical_violence",
                "lane": "perpetrator",
                "earliest": pd.Timestamp("2023-03-02"),
                "latest": pd.Timestamp("2023-03-02"),
                "interval": False,
                "people": ("p1", "s1", "c1"),
            },
        ),
        (
            "b2",
            {
                "category": "monitoring_stalking",
                "earliest": pd.Timestamp("2022-06-01"),
                "interval": True,
            },
        ),
        (
            "e1",
            {
                "lane": "efforts",
                "category": "safety_planning",
                "approximate": True,
                "confidential": True,
                "latest": pd.Timestamp("2023-03-31"),
                "people": ("s1", "c1"),
            },
        ),
        (
            "i1",
            {
                "lane": "child:c1",
                "category": "educational",
                "uncertain": True,
                "latest": pd.Timestamp("2023-12-31"),
                "people": ("c1",),
            },
        ),
        ("r1", {"lane": "responses", "category": "police_callout", "people": ()}),
        ("st1", {"lane": "statements", "category": "danger", "people": ("p1",)}),
        (
            "pp1",
            {
                "kind": "plans.perpetrator",
                "lane": "plans",
                "category": "planned",
                "earliest": pd.Timestamp("2024-01-01"),
            },
        ),
    ],
)
def test_frame_row_values(rid, expected):
    """Each kind of record gets its section, category, lane, dates, flags and people."""
    row = pattern.frame(mixed_case()).set_index("id").loc[rid]
    for key, value in expected.items():
        assert row[key] == value, key


def test_ongoing_range_has_no_latest():
    """An ongoing range ("2022-06/..") has latest NaT."""
    row = pattern.frame(mixed_case()).set_index("id").loc["b2"]
    assert pd.isna(row["latest"])


def test_frame_is_in_date_order():
    """Rows are sorted by earliest date, then id."""
    df = pattern.frame(mixed_case())
    assert list(df["earliest"]) == sorted(df["earliest"])


def test_frame_of_an_empty_case_has_the_columns_and_no_rows():
    """A new case gives an empty frame with the same columns and date dtypes."""
    df = pattern.frame(case())
    assert tuple(df.columns) == pattern.COLUMNS and len(df) == 0
    assert str(df["earliest"].dtype) == "datetime64[ns]"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_every_record_is_either_in_the_frame_or_undated(c):
    """For any valid case, frame rows plus undated records are all non-restricted records."""
    ids = {r.id for s, r in c.records() if not s.startswith("worker_safety.")}
    rows = set(pattern.frame(c)["id"])
    rest = {r.id for _, r in pattern.undated(c)}
    assert rows | rest == ids and not rows & rest


# -- counts_by_month -------------------------------------------------------------------------


def test_counts_by_month_counts_each_behaviour_once_in_its_month():
    """Behaviours per category per month, with empty months in between and undated left out."""
    c = case(
        [
            b("2023-01-05"),
            b("2023-01-20"),
            b("2023-03", "threats"),
            b("2023-01/2023-12", "isolation"),
            b(None, "threats"),
        ]
    )
    counts = pattern.counts_by_month(c)
    assert list(counts.index) == list(pd.date_range("2023-01-01", "2023-03-01", freq="MS"))
    assert list(counts.columns) == ["physical_violence", "threats", "isolation"]
    assert counts.loc["2023-01-01"].to_dict() == {
        "physical_violence": 2,
        "threats": 0,
        "isolation": 1,
    }
    assert counts.loc["2023-02-01"].sum() == 0
    assert counts["threats"].sum() == 1


def test_counts_by_month_places_a_year_in_its_middle():
    """A behaviour dated only by year counts in mid-year (July), not in January."""
    counts = pattern.counts_by_month(case([b("2022")]))
    assert list(counts.index) == [pd.Timestamp("2022-07-01")]


def test_counts_by_month_of_a_case_without_dated_behaviours_is_empty():
    """No dated behaviour: an empty frame with a month index."""
    counts = pattern.counts_by_month(case([b(None)]))
    assert counts.empty and counts.index.name == "month"


# -- escalation ------------------------------------------------------------------------------

BEFORE = [b(f"2022-{m:02d}-10") for m in range(1, 11)]  # 10 in Jan-Oct 2022: ~1 a month


@pytest.mark.parametrize(
    ("behaviours", "trend", "new_after", "reading"),
    [
        (
            BEFORE
            + [b("2022-11-01", "threats", "separating")]
            + [b(f"2022-11-{d:02d}", "legal_systems_abuse", "post_separation") for d in (5, 9, 20)]
            + [b("2022-12-10", "technology_abuse", "post_separation")],
            "rising",
            ("threats", "technology_abuse", "legal_systems_abuse"),
            # after: 5 behaviours from 1 Nov to the last record (10 Dec), 40 days = 1.3 months
            "His behaviours rose from 1.0 to 3.8 a month after the separation and changed form: "
            "threats and coercion; technology-facilitated abuse; legal and systems abuse began.",
        ),
        (
            BEFORE
            + [b("2022-11-01", phase="separating"), b("2023-10-01", phase="post_separation")],
            "falling",
            (),
            "His behaviours fell from 1.0 to 0.2 a month after the separation in the same forms.",
        ),
        (
            BEFORE
            + [
                b("2022-11-01", phase="separating"),
                b("2022-12-15", phase="post_separation"),
                b("2023-01-30", phase="post_separation"),
            ],
            "steady",
            (),
            "His behaviours stayed at about 1.0 a month after the separation in the same forms.",
        ),
    ],
    ids=["rising-new-forms", "falling", "steady"],
)
def test_escalation_reads_the_change_across_the_separation(behaviours, trend, new_after, reading):
    """Rates before and after the separation, the categories new after it, and a plain reading."""
    e = pattern.escalation(case(behaviours))
    assert e.trend == trend
    assert e.new_after == new_after
    assert e.reading == reading


def test_escalation_separation_is_the_earliest_separating_behaviour():
    """The separation date is the start of the earliest separating or post-separation behaviour."""
    e = pattern.escalation(case(BEFORE + [b("2022-11~/..", phase="separating")]))
    assert e.separation == dt.date(2022, 11, 1)
    assert e.before == 1.0


def test_escalation_ignores_an_earlier_partners_separation():
    """With a previous partner in the case, the separation read is the current one."""
    earlier = [b("2015-02", "monitoring_stalking", "post_separation", targets=["s2"])]
    e = pattern.escalation(case(earlier + BEFORE + [b("2022-11-01", phase="separating")]))
    assert e.separation == dt.date(2022, 11, 1)


def test_escalation_periods_are_quarters_with_counts_by_category():
    """Per-period rates are calendar quarters from the first to the last dated behaviour."""
    e = pattern.escalation(case([b("2022-01-10"), b("2022-02-10", "threats"), b("2022-08-01")]))
    assert [p.start for p in e.periods] == [
        dt.date(2022, 1, 1),
        dt.date(2022, 4, 1),
        dt.date(2022, 7, 1),
    ]
    first = e.periods[0]
    assert first.behaviours == 2 and first.by_category == (("physical_violence", 1), ("threats", 1))
    assert first.per_month == round(2 / (90 / (365.25 / 12)), 2)
    assert e.periods[1].behaviours == 0


@pytest.mark.parametrize(
    ("behaviours", "trend", "start"),
    [
        ([], "unknown", "None of his behaviours is dated yet"),
        ([b(None)], "unknown", "None of his behaviours is dated yet"),
        ([b("2022-01-10")], "unknown", "1 dated behaviour of his, too few"),
        (
            [b("2022-01-10"), b("2022-12-01"), b("2022-12-10"), b("2022-12-20")],
            "rising",
            "His behaviours rose from",
        ),
        (
            [b("2022-11-10", phase="post_separation"), b("2022-12-10", phase="post_separation")],
            "unknown",
            "All 2 dated behaviours of his are from the separation on",
        ),
    ],
    ids=["none", "undated", "one", "no-separation-rising", "only-after"],
)
def test_escalation_with_little_to_go_on(behaviours, trend, start):
    """Without dates, separation or anything before it, the reading says so plainly."""
    e = pattern.escalation(case(behaviours))
    assert e.trend == trend
    assert e.reading.startswith(start)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_escalation_and_counts_account_for_every_dated_behaviour(c):
    """For any valid case, quarters and monthly counts each hold every dated behaviour once."""
    dated = sum(1 for x in c.behaviours if x.when is not None)
    e = pattern.escalation(c)
    assert sum(p.behaviours for p in e.periods) == dated
    assert int(pattern.counts_by_month(c).to_numpy().sum()) == dated
    assert e.reading.endswith(".")
