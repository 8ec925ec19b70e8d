"""Hypothesis strategies that build valid casemap/1 cases (as dicts, then parsed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from casemap import taxonomy
from casemap.model import Case, parse_case

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,12}", fullmatch=True)


@st.composite
def edtf(draw: Any) -> str:
    d = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)))
    q = draw(st.sampled_from(["", "", "~", "?"]))
    form = draw(st.sampled_from(["day", "month", "year", "interval", "ongoing"]))
    if form == "day":
        return f"{d.isoformat()}{q}"
    if form == "month":
        return f"{d:%Y-%m}{q}"
    if form == "year":
        return f"{d.year}{q}"
    if form == "ongoing":
        return f"{d:%Y-%m}{q}/.."
    end = d + dt.timedelta(days=draw(st.integers(0, 900)))
    return f"{d:%Y-%m}/{end:%Y-%m}{q}"


def _common(draw: Any, rid: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": rid, "description": draw(text)}
    if draw(st.booleans()):
        out["when"] = draw(edtf())
    if draw(st.booleans()):
        out["source"] = draw(st.sampled_from(taxonomy.ids("source")))
    if draw(st.booleans()):
        out["quote"] = draw(text)
    out["confidential"] = draw(st.booleans())
    return out


@st.composite
def case_dicts(draw: Any, max_records: int = 6) -> dict[str, Any]:
    """A valid casefile dict: people of every role, records of every section, references valid."""
    uid = iter(f"r{i}" for i in range(10_000))
    perp = {"id": "p1", "role": "perpetrator", "name": draw(text), "label": "Father"}
    surv = {"id": "s1", "role": "survivor", "name": draw(text), "label": "Mother",
            "aliases": draw(st.lists(text, max_size=2))}
    kids = [
        {"id": f"c{i}", "role": "child", "name": draw(text), "label": f"Child {'ABC'[i]}",
         "birth_date": draw(edtf())}
        for i in range(draw(st.integers(0, 3)))
    ]
    child_ids = [k["id"] for k in kids]
    n = lambda: draw(st.integers(0, max_records))  # noqa: E731
    behaviours = []
    for _ in range(n()):
        b = _common(draw, next(uid))
        b |= {
            "perpetrator": "p1",
            "category": draw(st.sampled_from(taxonomy.ids("behaviour_category"))),
            "targets": draw(st.lists(st.sampled_from(["s1", *child_ids]), max_size=2, unique=True)),
            "children_present": draw(st.lists(st.sampled_from(child_ids), unique=True))
            if child_ids else [],
            "phase": draw(st.sampled_from(taxonomy.ids("phase"))),
            "frequency": draw(st.sampled_from(taxonomy.ids("frequency"))),
        }
        behaviours.append(b)
    efforts = []
    for _ in range(n()):
        e = _common(draw, next(uid))
        e |= {"by": "s1", "category": draw(st.sampled_from(taxonomy.ids("effort_category"))),
              "children": child_ids[: draw(st.integers(0, len(child_ids)))]}
        efforts.append(e)
    impacts = []
    for _ in range(n() if child_ids else 0):
        i = _common(draw, next(uid))
        i |= {"child": draw(st.sampled_from(child_ids)),
              "domain": draw(st.sampled_from(taxonomy.ids("impact_domain"))),
              "caused_by": [b["id"] for b in behaviours[: draw(st.integers(0, 2))]]}
        impacts.append(i)
    intersections = [
        _common(draw, next(uid)) | {
            "person": draw(st.sampled_from(["p1", "s1"])),
            "factor": draw(st.sampled_from(taxonomy.ids("intersection_factor"))),
            "perpetrator_link": draw(text)}
        for _ in range(n())
    ]
    responses = [_common(draw, next(uid)) | {"kind": draw(st.sampled_from(
        taxonomy.ids("response_kind")))} for _ in range(n())]
    statements = [_common(draw, next(uid)) | {"kind": draw(st.sampled_from(
        taxonomy.ids("statement_kind"))), "about": "p1"} for _ in range(n())]
    plan = lambda: [_common(draw, next(uid)) | {  # noqa: E731
        "action": draw(text), "purpose": draw(text), "success_indicator": draw(text),
        "status": draw(st.sampled_from(taxonomy.ids("plan_status")))} for _ in range(n())]
    data: dict[str, Any] = {
        "format": "casemap/1",
        "case_id": draw(ids),
        "title": draw(text),
        "revision": draw(st.integers(0, 50)),
        "people": [perp, surv, *kids],
        "behaviours": behaviours,
        "efforts": efforts,
        "impacts": impacts,
        "intersections": intersections,
        "responses": responses,
        "statements": statements,
        "plans": {"survivor": plan(), "perpetrator": plan()},
        "worker_safety": {
            "threats_to_workers": [_common(draw, next(uid)) for _ in range(n() // 2)],
            "flags": draw(st.lists(st.sampled_from(taxonomy.ids("worker_safety_flag")),
                                   unique=True, max_size=3)),
            "visit_plan": draw(st.one_of(st.none(), text)),
        },
        "consultations": [{"id": next(uid), "date": draw(edtf()), "notes": draw(text),
                           "recommendations": draw(st.lists(text, max_size=2))}],
    }
    if draw(st.booleans()):
        data["x_local"] = {"kept": draw(text)}
        if behaviours:
            behaviours[0]["x_note"] = draw(text)
    return data


def cases(max_records: int = 6) -> st.SearchStrategy[Case]:
    return case_dicts(max_records).map(parse_case)
