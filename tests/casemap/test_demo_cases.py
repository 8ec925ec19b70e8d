"""The fictional demo casefiles in casefiles/demo/: valid, rich enough to exercise every view.

Two kinds of demo case live there. *Documented* cases (demo-01, demo-02) show the five critical
components written well (shared/domain.md 1.3, 1.7, 2); the *training* case (title
"Demo (training): ...") is deliberately weak, written the way domain.md section 3 warns against,
so the gap finder and the language checks have something to find.
"""

import json
import re
from pathlib import Path

import pytest

from casemap import dates
from casemap.analysis.gaps import find_gaps
from casemap.analysis.language import lint_case
from casemap.model import Case, dump_case, parse_case

DEMO_DIR = Path(__file__).resolve().parents[2] / "casefiles" / "demo"
FILES = sorted(DEMO_DIR.glob("*.json"))
MIN_RECORDS = 40

# Free-text keys of casemap/1 (casefile-format.md): where names, places and phrasing live.
TEXT_KEYS = {
    "description",
    "quote",
    "source_detail",
    "notes",
    "relationship",
    "perpetrator_link",
    "action",
    "purpose",
    "success_indicator",
    "visit_plan",
    "reflections",
    "note",
    "questions",
    "recommendations",
}

def load(path: Path) -> Case:
    return parse_case(json.loads(path.read_text(encoding="utf-8")))


def is_training(case: Case) -> bool:
    return case.title.startswith("Demo (training)")


def free_texts(value, key=None):
    """Every free-text string in a dumped case (names of people excluded)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from free_texts(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from free_texts(v, key)
    elif isinstance(value, str) and key in TEXT_KEYS:
        yield value


def record_texts(case: Case, *, confidential_or_survivor: bool = False):
    for _, r in case.records():
        if confidential_or_survivor and not (r.confidential or r.source == "survivor"):
            continue
        yield from (t for t in (r.description, r.quote, r.source_detail) if t)
        yield from (getattr(r, k, "") for k in ("action", "purpose", "success_indicator"))


def sections_with_records(case: Case) -> set[str]:
    found = {
        section.partition(".")[0] if section.startswith("worker_safety") else section
        for section, _ in case.records()
    }
    found |= {s for s in ("people", "consultations") if getattr(case, s)}
    return found


ALL_SECTIONS = {
    "people",
    "behaviours",
    "efforts",
    "impacts",
    "intersections",
    "responses",
    "statements",
    "worker_safety",
    "plans.survivor",
    "plans.perpetrator",
    "consultations",
}

CASES = pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])


def test_demo_folder_holds_documented_and_training_cases():
    """The demo folder holds at least two documented cases and one training case."""
    cases = [load(p) for p in FILES]
    assert sum(not is_training(c) for c in cases) >= 2
    assert sum(is_training(c) for c in cases) >= 1


@CASES
def test_demo_case_parses_and_round_trips(path):
    """Each demo file is valid casemap/1 and survives dump and parse unchanged."""
    case = load(path)
    assert parse_case(dump_case(case)) == case


@CASES
def test_demo_case_has_enough_records(path):
    """Each demo case holds at least 40 records, enough to exercise timelines and summaries."""
    assert load(path).record_count() >= MIN_RECORDS


@CASES
def test_demo_case_fills_every_section(path):
    """Each demo case has records in every section; only the training case lacks his plan."""
    case = load(path)
    expected = ALL_SECTIONS - ({"plans.perpetrator"} if is_training(case) else set())
    assert expected - sections_with_records(case) == set()


@CASES
def test_demo_case_has_survivor_confidential_records(path):
    """Each demo case holds survivor-confidential records, so audience filtering can be tested."""
    assert any(r.confidential for _, r in load(path).records())


@CASES
def test_demo_case_quotes_children_unless_training(path):
    """Documented cases quote a child's own words; the training case quotes none."""
    case = load(path)
    child_quotes = [r for _, r in case.records() if r.source == "child" and r.quote]
    assert bool(child_quotes) is not is_training(case)


@CASES
def test_demo_case_id_is_an_opaque_token(path):
    """case_id is demo-NN, matches the file name and contains no name or alias of anyone."""
    case = load(path)
    assert re.fullmatch(r"demo-\d{2}", case.case_id)
    assert path.stem == case.case_id
    assert case.title.startswith("Demo")
    words = {w.lower() for p in case.people for n in [p.name, *p.aliases] for w in n.split()}
    assert not words & set(case.case_id.lower().split("-"))


@CASES
def test_demo_people_have_labels_and_children_birth_dates(path):
    """Every person has a label, every child a birth date, and some people aliases."""
    case = load(path)
    assert all(p.label for p in case.people)
    assert all(c.birth_date for c in case.children)
    assert any(p.aliases for p in case.people)


@CASES
def test_demo_aliases_appear_in_free_text(path):
    """At least one alias is used in free text, so scrubbing must catch more than names."""
    case = load(path)
    text = "\n".join(free_texts(dump_case(case)))
    aliases = [a for p in case.people for a in p.aliases]
    assert any(re.search(rf"\b{re.escape(a)}\b", text) for a in aliases)


@CASES
def test_demo_case_has_whereabouts_in_protected_text(path):
    """Confidential or survivor-sourced text holds an address, phone number or email to scrub."""
    text = "\n".join(record_texts(load(path), confidential_or_survivor=True))
    patterns = [
        r"\d+ [A-Z][a-z]+ (?:Close|Road|Terrace|Gardens|Street|Lane)",
        r"07700 ?900 ?\d{3}|555-01\d{2}",
        r"[\w.]+@example\.org",
    ]
    assert all(re.search(p, text) for p in patterns)


@CASES
def test_demo_case_phrasing_matches_its_kind(path):
    """Documented cases pass the language lens; the training case is full of what it flags."""
    findings = lint_case(load(path))
    if is_training(case := load(path)):
        assert len({f.finding.rule for f in findings}) >= 5, case.case_id
    else:
        assert findings == []


@CASES
def test_demo_case_gaps_match_its_kind(path):
    """Documented cases raise no gap; the training case raises the gaps it was written to show."""
    case = load(path)
    gaps = {f.rule for f in find_gaps(case) if f.severity == "gap"}
    if is_training(case):
        assert {
            "pattern.unsourced",
            "efforts.only_formal_or_leaving",
            "impact.child_none",
            "impact.unlinked",
            "intersections.survivor_unlinked",
            "plans.no_perpetrator_plan",
            "voice.no_child_quote",
        } <= gaps
    else:
        assert gaps == set()


def test_demo_dates_cover_every_edtf_form():
    """Across the demo cases every EDTF form appears, plus undated records."""
    whens = [r.when for p in FILES for _, r in load(p).records()]
    parsed = [dates.parse(w) for w in whens if w]
    points = [d.start for d in parsed if not d.is_interval]
    assert None in whens
    assert {"day", "month", "year"} <= {p.precision for p in points}
    assert any(d.approximate for d in parsed)
    assert any(d.uncertain for d in parsed)
    assert any(d.is_interval and not d.ongoing for d in parsed)
    assert any(d.ongoing for d in parsed)
