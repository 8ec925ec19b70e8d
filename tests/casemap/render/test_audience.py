"""What each audience may see (casemap/render/audience.py).

``marked_cases`` builds cases in which every confidential record, every name and alias, every
address, phone number, email and named place, and every survivor- or child-sourced record
carries its own marker string. ``must_see`` and ``must_not_see`` are the issue's rules written
out independently of the implementation; ``tests/casemap/render/test_summary.py`` checks the same
markers in every rendered format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casemap import dates
from casemap.model import Case, dump_case, parse_case
from casemap.render.audience import (
    AUDIENCES,
    NAME,
    PARTS,
    WHEREABOUTS,
    apply_audience,
    date_offset,
    deidentify_case,
    known_places,
    name_replacer,
    scrub_references,
    scrub_whereabouts,
)
from tests.strategies import cases

DEMO = Path(__file__).resolve().parents[3] / "casefiles" / "demo"

# -- marked cases -----------------------------------------------------------------------------


def _word(prefix: str, n: int) -> str:
    """A marker word: letters only, starting with 'zq' so it cannot occur in other text."""
    letters = ""
    for _ in range(3):
        n, r = divmod(n, 26)
        letters += chr(ord("a") + r)
    return f"zq{prefix}{letters}"


@dataclass(frozen=True)
class Marker:
    """One marker string and what it marks."""

    text: str
    kind: str  # record | source_detail | name | whereabouts | visit_plan | notes | consultation
    section: str = ""
    confidential: bool = False
    source: str | None = None
    about_role: str | None = None  # intersections and statements: whose record it is


@dataclass(frozen=True)
class Marked:
    case: Case
    markers: tuple[Marker, ...]


PEOPLE = (
    ("p1", "perpetrator", "Father"),
    ("s1", "survivor", "Mother"),
    ("c1", "child", "Child A"),
    ("c2", "child", "Child B"),
    ("o1", "other_adult", "Grandmother"),
)
ROLE = {pid: role for pid, role, _ in PEOPLE}
SOURCES = ("survivor", "child", "perpetrator", "police", "court", "school", "collateral", None)
RECORD_SECTIONS = (
    "behaviours",
    "efforts",
    "impacts",
    "intersections",
    "responses",
    "statements",
    "plans.survivor",
    "plans.perpetrator",
    "worker_safety.threats_to_workers",
    "worker_safety.violence_outside_family",
)
WHEREABOUTS_FORMS = (
    "lives at {n} {W} Street",
    "stayed at {n} {W} Road",
    "goes to {W} Primary School",
    "works at {W} Bakery",
    "moved to the {W} refuge",
    "phone {phone}",
    "mobile {phone}",
    "email {email}",
    "wrote to {email}",
)
NAME_FORMS = ("{first}", "{last}", "{first} {last}", "{first}'s", "{alias}", "{lower}")


def _cap(word: str) -> str:
    return word[0].upper() + word[1:]


@st.composite
def marked_cases(draw: Any, max_records: int = 10) -> Marked:
    """A valid case whose every sensitive piece of text carries a unique marker."""
    counter = iter(range(10_000))
    markers: list[Marker] = []
    names: dict[str, dict[str, str]] = {}
    people = []
    for pid, role, label in PEOPLE:
        first, last, alias = (_cap(_word("n", next(counter))) for _ in range(3))
        names[pid] = {"first": first, "last": last, "alias": alias, "lower": first.lower()}
        markers += [Marker(w, "name") for w in (first, last, alias)]
        notes_marker = _word("o", next(counter))
        markers.append(Marker(notes_marker, "notes"))
        people.append(
            {
                "id": pid,
                "role": role,
                "name": f"{first} {last}",
                "aliases": [alias],
                "label": label,
                "notes": f"Notes {notes_marker}.",
            }
        )

    def mention() -> str:
        """Free text naming someone and, sometimes, saying where someone can be found."""
        out = []
        who = draw(st.sampled_from([pid for pid, _, _ in PEOPLE]))
        form = draw(st.sampled_from(NAME_FORMS))
        out.append("with " + form.format(**names[who]))
        if draw(st.booleans()):
            n = next(counter)
            w = _cap(_word("w", n))
            phone = f"07700 9{n:05d}"
            email = f"{_word('e', n)}@example.org"
            text = draw(st.sampled_from(WHEREABOUTS_FORMS)).format(
                n=n % 200 + 1, W=w, phone=phone, email=email
            )
            marker = w if "{W}" in text or w in text else None
            if "07700" in text:
                marker = phone.replace(" ", "")
            elif "@" in text:
                marker = email
            markers.append(Marker(marker or w, "whereabouts"))
            out.append(text)
        return ", ".join(out)

    data: dict[str, Any] = {
        "format": "casemap/1",
        "case_id": "case-" + _word("k", draw(st.integers(0, 9999))),
        "title": "Test family",
        "people": people,
        "plans": {"survivor": [], "perpetrator": []},
        "worker_safety": {"threats_to_workers": [], "violence_outside_family": []},
    }
    visit = _word("v", next(counter))
    data["worker_safety"]["visit_plan"] = f"Two workers {visit}."
    markers.append(Marker(visit, "visit_plan"))
    consult = _word("c", next(counter))
    data["consultations"] = [{"id": "k1", "date": "2024-05-01", "notes": f"Notes {consult}."}]
    markers.append(Marker(consult, "consultation"))
    behaviour_ids: list[str] = []
    for i in range(draw(st.integers(1, max_records))):
        section = draw(st.sampled_from(RECORD_SECTIONS))
        confidential = draw(st.booleans())
        source = draw(st.sampled_from(SOURCES))
        m = _word("r", next(counter))
        detail = _word("d", next(counter))
        record: dict[str, Any] = {
            "id": f"r{i}",
            "description": f"Recorded {m} {mention()}.",
            "when": draw(st.sampled_from(["2021-03-04", "2022-07", "2023~", "2020/2021", None])),
            "source_detail": f"Detail {detail}",
            "confidential": confidential,
        }
        if source:
            record["source"] = source
        about_role = None
        if section == "behaviours":
            record |= {"perpetrator": "p1", "category": "intimidation", "targets": ["s1"]}
            behaviour_ids.append(record["id"])
        elif section == "efforts":
            record |= {"by": "s1", "category": "daily_care_and_routine", "children": ["c1"]}
        elif section == "impacts":
            caused = (
                draw(st.lists(st.sampled_from(behaviour_ids), unique=True, max_size=2))
                if behaviour_ids
                else []
            )
            record |= {"child": "c1", "domain": "emotional_behavioural", "caused_by": caused}
        elif section == "intersections":
            person = draw(st.sampled_from(["p1", "s1", "c1"]))
            about_role = ROLE[person]
            record |= {"person": person, "factor": "mental_health"}
        elif section == "responses":
            record |= {"kind": draw(st.sampled_from(["police_callout", "service_referral"]))}
        elif section == "statements":
            about = draw(st.sampled_from(["p1", "s1", "c1"]))
            about_role = ROLE[about]
            record |= {"kind": "harm", "about": about}
        elif section.startswith("plans."):
            record |= {"action": f"Act {m}", "status": "planned"}
        head, _, tail = section.partition(".")
        if tail:
            data.setdefault(head, {}).setdefault(tail, []).append(record)
        else:
            data.setdefault(section, []).append(record)
        markers.append(Marker(m, "record", section, confidential, source, about_role))
        markers.append(Marker(detail, "source_detail", section, confidential, source, about_role))
    return Marked(parse_case(data), tuple(markers))


def _record_visible(audience: str, m: Marker) -> bool | None:
    """Whether a record's text must (True), must not (False) or may (None) reach ``audience``."""
    ws = m.section.startswith("worker_safety")
    if audience == "consultation":
        return True
    if m.confidential:
        return False
    if audience in ("case-record", "training"):
        return True
    if audience == "survivor":
        return not ws
    # perpetrator
    if m.source in ("survivor", "child") or ws or m.section in ("efforts", "plans.survivor"):
        return False
    if m.section == "intersections" and m.about_role != "perpetrator":
        return False
    if m.section == "statements" and m.about_role == "survivor":
        return False
    if m.section in ("behaviours", "impacts", "plans.perpetrator"):
        return True
    return None


def expected(audience: str, m: Marker) -> bool | None:
    """The issue's rules: True must appear, False must not, None either way."""
    if m.kind == "record":
        return _record_visible(audience, m)
    if m.kind == "source_detail":
        return False if audience == "perpetrator" else _record_visible(audience, m)
    if m.kind == "name":
        return False if audience == "training" else None
    if m.kind == "whereabouts":
        return False if audience in ("perpetrator", "training") else None
    if m.kind == "visit_plan":
        return audience in ("consultation", "case-record", "training")
    if m.kind == "notes":
        return False if audience == "perpetrator" else None
    if m.kind == "consultation":
        return audience in ("consultation", "case-record", "training")
    raise AssertionError(m.kind)


def squash(text: str) -> str:
    """Text compared without whitespace or case, so a marker split by a line break still counts."""
    return re.sub(r"\s+", "", text).lower()


def check_markers(audience: str, text: str, markers: tuple[Marker, ...]) -> None:
    """Assert no marker the audience may not see is in ``text`` and every required one is."""
    flat = squash(text)
    leaked = [m for m in markers if expected(audience, m) is False and m.text.lower() in flat]
    missing = [m for m in markers if expected(audience, m) is True and m.text.lower() not in flat]
    assert not leaked, f"{audience} may not see: {leaked}"
    assert not missing, f"{audience} must see: {missing}"


def case_text(case: Case) -> str:
    return json.dumps(dump_case(case), ensure_ascii=False)


def view_text(audience: str, case: Case) -> str:
    view = apply_audience(case, audience)
    return case_text(view.case) + json.dumps(
        [r.model_dump(mode="json") for _, r in view.appendix], ensure_ascii=False
    )


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- the audience rules on marked cases -------------------------------------------------------


@pytest.mark.parametrize("audience", AUDIENCES)
@FAST
@given(marked=marked_cases())
def test_audience_sees_exactly_what_it_may(audience: str, marked: Marked) -> None:
    """An audience's view lacks every marker it may not see and has every one it must."""
    check_markers(audience, view_text(audience, marked.case), marked.markers)


@pytest.mark.parametrize("audience", AUDIENCES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_every_view_is_a_valid_case(audience: str, case: Case) -> None:
    """Whatever the case, each audience's view passes parse_case (references stay whole)."""
    view = apply_audience(case, audience)
    assert parse_case(dump_case(view.case)) == view.case


@FAST
@given(marked=marked_cases())
def test_consultation_keeps_confidential_records_apart(marked: Marked) -> None:
    """Consultation: confidential records are only in the appendix; the body never names them."""
    view = apply_audience(marked.case, "consultation")
    confidential = {r.id for _, r in marked.case.records() if r.confidential}
    assert {r.id for _, r in view.appendix} == confidential
    assert not confidential & {r.id for _, r in view.case.records()}
    assert not confidential & {c for i in view.case.impacts for c in i.caused_by}


def test_unknown_audience_is_refused_with_the_list() -> None:
    """An unknown audience raises ValueError naming every valid one."""
    case = parse_case({"format": "casemap/1", "case_id": "x", "title": "t"})
    with pytest.raises(ValueError, match="consultation, case-record, perpetrator"):
        apply_audience(case, "court")


@pytest.mark.parametrize(
    ("audience", "shown", "hidden"),
    [
        ("consultation", {"worker_safety", "gaps", "plan_survivor"}, set()),
        ("case-record", {"worker_safety", "gaps", "plan_survivor"}, set()),
        (
            "perpetrator",
            {"plan_perpetrator", "impacts"},
            {"worker_safety", "plan_survivor", "efforts", "consultations"},
        ),
        ("survivor", {"plan_survivor", "plan_perpetrator", "efforts"}, {"worker_safety"}),
        ("training", {"gaps", "language"}, set()),
    ],
)
def test_parts_by_audience(audience: str, shown: set[str], hidden: set[str]) -> None:
    """Each audience's documents have the parts the issue lists and lack the ones it excludes."""
    case = parse_case({"format": "casemap/1", "case_id": "x", "title": "t"})
    view = apply_audience(case, audience)
    assert all(view.shows(part) for part in shown)
    assert not any(view.shows(part) for part in hidden)
    assert set(PARTS) >= shown | hidden


# -- whereabouts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("She lives at 27 Quillon Road now.", "Quillon"),
        ("Flat 3, 27 Quillon Road", "27"),
        ("Call 07700 900123 after six.", "900123"),
        ("Call +1 (555) 201-3344.", "201"),
        ("Email ilsa.m@example.org today.", "example"),
        ("See https://example.org/refuge?id=4", "example"),
        ("Postcode SW1A 1AA.", "SW1A"),
        ("ZIP 02139-4307", "02139"),
        ("Wren goes to Hillside Primary School.", "Hillside"),
        ("She works at Bramblegate Library on Mondays.", "Bramblegate"),
        ("They moved to Harbour House refuge.", "Harbour"),
        ("the Saltmarsh Women's Centre", "Saltmarsh"),
        ("PO Box 4411", "4411"),
    ],
)
def test_scrub_whereabouts_removes(text: str, gone: str) -> None:
    """Addresses, phones, emails, URLs, postcodes and named places are replaced by a marker."""
    out = scrub_whereabouts(text)
    assert gone not in out
    assert WHEREABOUTS in out


@pytest.mark.parametrize(
    "text",
    [
        "He pushed her on 2024-03-02 while Tobin watched.",
        "He sent 14 emails in four days.",
        "Six applications in ten months, 2023-06/2024-01.",
        "At school Wren was quiet.",
        "He waited outside Tobin's nursery.",
        "Treatment clinic staff said his treatment had stopped.",
    ],
)
def test_scrub_whereabouts_leaves_ordinary_text(text: str) -> None:
    """Dates, counts, and places named only by a person's possessive are left as they were."""
    assert scrub_whereabouts(text) == text


def test_known_places_reach_mentions_without_a_cue() -> None:
    """A refuge named once with a cue is removed where it is mentioned again without one."""
    case = parse_case(
        {
            "format": "casemap/1",
            "case_id": "x",
            "people": [{"id": "s1", "role": "survivor", "name": "Ana", "label": "Mother"}],
            "efforts": [
                {
                    "id": "e1",
                    "by": "s1",
                    "category": "formal_help_seeking",
                    "description": "Ana moved to the Larkspur refuge.",
                    "confidential": True,
                },
                {
                    "id": "e2",
                    "by": "s1",
                    "category": "formal_help_seeking",
                    "description": "Larkspur staff helped with the forms.",
                },
            ],
        }
    )
    assert "Larkspur" in known_places(case)
    text = dump_case(apply_audience(case, "perpetrator").case)
    assert "Larkspur" not in json.dumps(text)


# -- names and de-identification --------------------------------------------------------------

RIVERA = parse_case(
    {
        "format": "casemap/1",
        "case_id": "demo-rivera",
        "title": "The Rivera family",
        "people": [
            {
                "id": "p1",
                "role": "perpetrator",
                "name": "Marco Rivera",
                "label": "Father",
                "aliases": ["Big M", "Marc"],
            },
            {"id": "s1", "role": "survivor", "name": "Ana Rivera", "label": "Mother"},
            {"id": "c1", "role": "child", "name": "Will Rivera", "label": "Child A"},
        ],
    }
)


@pytest.mark.parametrize(
    ("text", "out"),
    [
        ("Marco pushed Ana.", "Father pushed Mother."),
        ("Ana's phone", "Mother's phone"),
        ("MARCO RIVERA shouted", "Father shouted"),
        ("Big M said", "Father said"),
        ("marc took the keys", "Father took the keys"),
        ("the Rivera family", f"the {NAME} family"),
        ("Will cried; he will not sleep.", "Child A cried; he will not sleep."),
        ("Marcos is a neighbour", "Marcos is a neighbour"),
    ],
)
def test_names_become_labels(text: str, out: str) -> None:
    """Names, first names, aliases and possessives become labels; a shared surname is removed."""
    assert name_replacer(RIVERA.people)(text) == out


def test_deidentify_shifts_every_date_by_one_offset() -> None:
    """Every day-precision date moves by the same whole-day offset, so intervals are kept."""
    case = parse_case(json.loads((DEMO / "demo-01.json").read_text()))
    shifted = deidentify_case(case)
    days = date_offset(case.case_id)
    assert days != 0
    before = {r.id: r.when for _, r in case.records() if not r.confidential}
    after = {r.id: r.when for _, r in shifted.records()}
    assert before.keys() == after.keys()
    moved = 0
    for rid, when in before.items():
        if when and dates.parse(when).start.precision == "day":
            delta = dates.parse(after[rid]).earliest - dates.parse(when).earliest
            assert delta.days == days, rid
            moved += 1
    assert moved >= 5


def test_deidentified_case_is_training_material() -> None:
    """The training copy has a new id and title, labels for names, no history and x_training."""
    case = parse_case(json.loads((DEMO / "demo-01.json").read_text()))
    out = deidentify_case(case)
    assert out.case_id != case.case_id and case.case_id not in case_text(out)
    assert out.title.startswith("Training case")
    assert "x_training" in dump_case(out)
    assert all(p.name == p.label and not p.aliases for p in out.people)
    assert not out.history and out.created is None
    assert deidentify_case(case) == out  # deterministic
    text = case_text(out).lower()
    for p in case.people:
        for name in [p.name, *p.aliases]:
            for part in name.split():
                if len(part) > 2 and part.lower() not in ("mr",):
                    assert not re.search(rf"\b{re.escape(part.lower())}\b", text), part


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Police ref 4421/23 was closed.", "4421"),
        ("Case no. DCF-2024-00123", "00123"),
        ("Incident #5566", "5566"),
    ],
)
def test_reference_numbers_are_scrubbed(text: str, gone: str) -> None:
    """Case, file and incident numbers are removed from training text."""
    assert gone not in scrub_references(text)


def test_demo_perpetrator_view_has_no_whereabouts_or_her_network() -> None:
    """demo-01's perpetrator view names no refuge, workplace, phone, email or safety network."""
    case = parse_case(json.loads((DEMO / "demo-01.json").read_text()))
    text = case_text(apply_audience(case, "perpetrator").case)
    for secret in (
        "Harbour House",
        "Bramblegate",
        "Quillon",
        "Larchmere",
        "07700",
        "@",
        "safety network",
        "pancakes",
    ):
        assert secret not in text, secret


def iter_markers(marked: Marked, kind: str) -> Iterator[Marker]:
    return (m for m in marked.markers if m.kind == kind)
