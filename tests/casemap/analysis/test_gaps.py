"""Missing-information rules (casemap/analysis/gaps.py) and the `casemap check` command.

Every rule is shown firing on a small case built here and not firing on the same case written
well. ``documented()`` is that case: it documents all five critical components, so it raises
no finding at all; each firing test changes one thing about it.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from casemap import cli
from casemap.analysis import gaps
from casemap.analysis.gaps import Finding, find_gaps
from casemap.model import Case, parse_case
from tests.strategies import cases

DEMO = Path(__file__).resolve().parents[3] / "casefiles" / "demo"
NAMES = ("Marco", "Rivera", "Ana", "Leo", "Mia")


def documented() -> dict[str, Any]:
    """A small case that documents all five components, plans, worker safety and voices."""
    return {
        "format": "casemap/1",
        "case_id": "t1",
        "title": "Test",
        "people": [
            {"id": "p1", "role": "perpetrator", "name": "Marco Rivera", "label": "Father"},
            {"id": "s1", "role": "survivor", "name": "Ana Rivera", "label": "Mother"},
            {"id": "c1", "role": "child", "name": "Leo", "label": "Child A"},
            {"id": "c2", "role": "child", "name": "Mia", "label": "Child B"},
        ],
        "behaviours": [
            {
                "id": "b1",
                "perpetrator": "p1",
                "category": "physical_violence",
                "description": "Marco pushed Ana into the door frame.",
                "when": "2023-03-02",
                "source": "police",
                "targets": ["s1"],
                "children_present": ["c1", "c2"],
                "phase": "together",
            },
            {
                "id": "b2",
                "perpetrator": "p1",
                "category": "economic_abuse",
                "description": "Marco kept Ana's wages.",
                "when": "2022~",
                "source": "survivor",
                "targets": ["s1"],
                "phase": "together",
            },
            {
                "id": "b3",
                "perpetrator": "p1",
                "category": "undermining_parenting",
                "description": "Marco called Ana useless in front of the children.",
                "when": "2023-01",
                "source": "survivor",
                "quote": "I'm useless, he says.",
                "targets": ["s1"],
                "children_present": ["c1", "c2"],
                "phase": "together",
            },
            {
                "id": "b4",
                "perpetrator": "p1",
                "category": "legal_systems_abuse",
                "description": "Marco filed three contact applications in two months.",
                "when": "2023-09/2023-10",
                "source": "court",
                "targets": ["s1"],
                "phase": "post_separation",
            },
            {
                "id": "b5",
                "perpetrator": "p1",
                "category": "targeting_workers_or_others",
                "description": "Marco shouted at Leo's teacher at the school gate.",
                "when": "2023-10",
                "source": "school",
                "phase": "post_separation",
            },
            {
                "id": "b6",
                "perpetrator": "p1",
                "category": "direct_harm_to_child",
                "description": "Marco grabbed Leo by the arm and dragged him upstairs.",
                "when": "2023-02",
                "source": "child",
                "quote": "Dad hurt my arm.",
                "targets": ["c1"],
                "phase": "together",
            },
            {
                "id": "b7",
                "perpetrator": "p1",
                "category": "minimising_denying_blaming",
                "description": "Marco said Ana made him do it.",
                "when": "2023-04",
                "source": "perpetrator",
                "quote": "She winds me up.",
                "targets": ["s1"],
                "phase": "together",
            },
        ],
        "efforts": [
            {
                "id": "e1",
                "by": "s1",
                "category": "shielding_in_the_moment",
                "description": (
                    "Ana sent the children to the neighbour's when Marco came home drunk."
                ),
                "when": "2023-03-02",
                "source": "survivor",
                "quote": "I get them out first.",
                "children": ["c1", "c2"],
            },
            {
                "id": "e2",
                "by": "s1",
                "category": "daily_care_and_routine",
                "description": "Ana kept both children at school and at their appointments.",
                "when": "2023",
                "source": "school",
                "children": ["c1", "c2"],
            },
            {
                "id": "e3",
                "by": "s1",
                "category": "formal_help_seeking",
                "description": "Ana called the police.",
                "when": "2023-03-02",
                "source": "police",
                "children": ["c1", "c2"],
            },
        ],
        "impacts": [
            {
                "id": "i1",
                "child": "c1",
                "domain": "emotional_behavioural",
                "description": "Leo sleeps with his door locked.",
                "source": "child",
                "quote": "I lock it so he can't come in.",
                "caused_by": ["b1", "b6"],
            },
            {
                "id": "i2",
                "child": "c1",
                "domain": "educational",
                "description": "Leo missed school after Marco's visits.",
                "source": "school",
                "caused_by": ["b4"],
            },
            {
                "id": "i3",
                "child": "c2",
                "domain": "social",
                "source": "survivor",
                "description": "Mia stopped inviting friends home.",
                "caused_by": ["b3"],
            },
            {
                "id": "i4",
                "child": "c2",
                "domain": "relationship_with_protective_parent",
                "description": "Mia repeats Marco's insults to Ana.",
                "source": "survivor",
                "caused_by": ["b3"],
            },
        ],
        "intersections": [
            {
                "id": "n1",
                "person": "s1",
                "factor": "mental_health",
                "source": "medical",
                "description": "Ana is treated for depression.",
                "perpetrator_link": "Marco hid her medication and told the school she is unfit.",
            },
            {
                "id": "n2",
                "person": "p1",
                "factor": "substance_use",
                "source": "police",
                "description": "Marco drinks most weekends; he assaulted Ana sober too.",
            },
        ],
        "statements": [
            {
                "id": "st1",
                "kind": "harm",
                "about": "p1",
                "source": "worker_observation",
                "description": "Marco dragged Leo upstairs by the arm and hurt him.",
            },
            {
                "id": "st2",
                "kind": "danger",
                "about": "p1",
                "source": "worker_observation",
                "description": "We are worried Marco will hurt Leo or Mia at handovers.",
            },
        ],
        "plans": {
            "survivor": [
                {
                    "id": "sp1",
                    "action": "Meet the DV advocate monthly.",
                    "purpose": "Support Ana's own safety planning.",
                    "success_indicator": "Ana says the plan fits her and the children.",
                },
            ],
            "perpetrator": [
                {
                    "id": "pp1",
                    "action": "Attend a domestic-abuse perpetrator programme.",
                    "purpose": "Stop his threats and insults.",
                    "success_indicator": "No threats or insults to Ana for six months; "
                    "the children say handovers feel calm.",
                },
            ],
        },
        "worker_safety": {
            "visit_plan": "Paired visits, supervisor review before each, phones on.",
            "survivor_notified_before_contact": True,
        },
    }


def check(data: dict[str, Any]) -> list[Finding]:
    return find_gaps(parse_case(data))


def fired(data: dict[str, Any]) -> set[str]:
    return {f.rule for f in check(data)}


def _drop_dangling(d: dict[str, Any]) -> dict[str, Any]:
    behaviour_ids = {b["id"] for b in d["behaviours"]}
    for i in d["impacts"]:
        i["caused_by"] = [b for b in i["caused_by"] if b in behaviour_ids]
    return d


def changed(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    d = copy.deepcopy(documented())
    change(d)
    return _drop_dangling(d)


def by_id(records: list[dict[str, Any]], rid: str) -> dict[str, Any]:
    return next(r for r in records if r["id"] == rid)


def every_record(d: dict[str, Any]) -> list[dict[str, Any]]:
    sections = ("behaviours", "efforts", "impacts", "intersections", "responses", "statements")
    return [r for s in sections for r in d.get(s, [])]


# -- the well-documented case ----------------------------------------------------------------


def test_a_case_documenting_every_component_raises_no_finding():
    """The documented case raises neither gaps nor notes: every rule is shown not firing."""
    assert check(documented()) == []


def test_every_rule_has_one_function_and_valid_metadata():
    """Each rule in gap_rules.json has a registered check and a known component, area, severity."""
    rule_ids = [r.id for r in gaps.rules()]
    assert len(rule_ids) == len(set(rule_ids))
    assert set(rule_ids) == set(gaps._CHECKS)
    for r in gaps.rules():
        assert r.component in (1, 2, 3, 4, 5, None)
        assert r.area in gaps.AREAS
        assert r.severity in ("gap", "note")


# -- each rule firing ------------------------------------------------------------------------


def _set(d: dict[str, Any], section: str, rid: str, **values: Any) -> None:
    by_id(d[section], rid).update(values)


def _remove(d: dict[str, Any], section: str, *rids: str) -> None:
    d[section] = [r for r in d[section] if r["id"] not in rids]


def _no_child_directed(d: dict[str, Any]) -> None:
    _remove(d, "behaviours", "b6")
    _set(d, "behaviours", "b3", category="emotional_abuse")


def _only_present(d: dict[str, Any]) -> None:
    _no_child_directed(d)


def _all_from_her(d: dict[str, Any]) -> None:
    for r in every_record(d):
        r["source"] = "survivor"


def _no_agency(d: dict[str, Any]) -> None:
    for r in every_record(d):
        if r.get("source") in ("police", "court"):
            r["source"] = "medical"


def _separation_without_after(d: dict[str, Any]) -> None:
    for b in d["behaviours"]:
        if b["phase"] == "post_separation":
            b["phase"] = "separating"


def _no_child_quote(d: dict[str, Any]) -> None:
    for r in every_record(d):
        if r.get("source") == "child":
            r.pop("quote", None)


def _no_survivor_quote(d: dict[str, Any]) -> None:
    for r in every_record(d):
        if r.get("source") == "survivor":
            r.pop("quote", None)


FIRING: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("pattern.none", lambda d: d.update(behaviours=[])),
    ("pattern.few_behaviours", lambda d: _remove(d, "behaviours", "b3", "b4", "b5", "b6", "b7")),
    (
        "pattern.single_category",
        lambda d: [b.update(category="physical_violence") for b in d["behaviours"]],
    ),
    ("pattern.post_separation_unasked", _separation_without_after),
    ("pattern.unsourced", lambda d: by_id(d["behaviours"], "b2").pop("source")),
    ("sources.survivor_only", _all_from_her),
    ("sources.no_agency_record", _no_agency),
    ("sources.no_perpetrator_account", lambda d: _set(d, "behaviours", "b7", source="survivor")),
    ("pattern.undated", lambda d: by_id(d["behaviours"], "b2").pop("when")),
    ("pattern.scope_beyond_family", lambda d: _remove(d, "behaviours", "b5")),
    ("child_harm.none", _no_child_directed),
    (
        "child_harm.child_untouched",
        lambda d: [b.update(children_present=["c1"]) for b in d["behaviours"]],
    ),
    ("child_harm.child_only_present", _only_present),
    ("efforts.none", lambda d: d.update(efforts=[])),
    (
        "efforts.only_formal_or_leaving",
        lambda d: (
            _set(d, "efforts", "e1", category="leaving_or_staying_strategy"),
            _set(d, "efforts", "e2", category="formal_help_seeking"),
        ),
    ),
    ("efforts.child_unserved", lambda d: [e.update(children=["c1"]) for e in d["efforts"]]),
    ("efforts.no_care_or_repair", lambda d: _set(d, "efforts", "e2", category="informal_support")),
    ("impact.child_none", lambda d: _remove(d, "impacts", "i3", "i4")),
    ("impact.unlinked", lambda d: _set(d, "impacts", "i3", caused_by=[])),
    ("impact.one_domain", lambda d: _set(d, "impacts", "i4", domain="social")),
    ("intersections.none", lambda d: d.update(intersections=[])),
    (
        "intersections.survivor_unlinked",
        lambda d: by_id(d["intersections"], "n1").pop("perpetrator_link"),
    ),
    ("intersections.his_not_considered", lambda d: _remove(d, "intersections", "n2")),
    ("plans.no_perpetrator_plan", lambda d: d["plans"].update(perpetrator=[])),
    (
        "plans.survivor_responsible",
        lambda d: _set(
            d["plans"], "survivor", "sp1", action="Mother must keep Marco away from the children."
        ),
    ),
    (
        "plans.attendance_only",
        lambda d: _set(
            d["plans"], "perpetrator", "pp1", success_indicator="Attends 24 of 26 sessions."
        ),
    ),
    (
        "plans.indicator_missing",
        lambda d: _set(d["plans"], "perpetrator", "pp1", success_indicator=""),
    ),
    (
        "plans.more_on_her",
        lambda d: d["plans"]["survivor"].append(
            {"id": "sp2", "action": "Attend a parenting course."}
        ),
    ),
    ("plans.no_harm_statement", lambda d: _remove(d, "statements", "st1")),
    ("plans.no_danger_statement", lambda d: _remove(d, "statements", "st2")),
    (
        "plans.safety_goal_on_her",
        lambda d: d["statements"].append(
            {
                "id": "st3",
                "kind": "safety_goal",
                "about": "s1",
                "description": "Mother will protect the children from domestic abuse.",
            }
        ),
    ),
    ("plans.statement_not_about_him", lambda d: _set(d, "statements", "st2", about="s1")),
    ("worker_safety.no_visit_plan", lambda d: d["worker_safety"].pop("visit_plan")),
    (
        "worker_safety.risk_flags_no_plan",
        lambda d: (
            _remove(d, "behaviours", "b5"),
            d["worker_safety"].pop("visit_plan"),
            d["worker_safety"].update(flags=["weapons_access", "violent_record"]),
        ),
    ),
    (
        "worker_safety.survivor_not_notified",
        lambda d: d["worker_safety"].update(survivor_notified_before_contact=None),
    ),
    ("voice.no_child_quote", _no_child_quote),
    ("voice.no_survivor_quote", _no_survivor_quote),
]


def test_every_rule_has_a_firing_case_in_this_file():
    """The FIRING table below covers every registered rule."""
    assert {rule for rule, _ in FIRING} == {r.id for r in gaps.rules()}


@pytest.mark.parametrize(("rule", "change"), FIRING, ids=[r for r, _ in FIRING])
def test_rule_fires_when_its_information_is_missing(rule, change):
    """Changing the documented case in one way makes that rule fire, in plain words."""
    findings = [f for f in check(changed(change)) if f.rule == rule]
    assert findings, f"{rule} did not fire"
    for f in findings:
        assert f.message and f.question.endswith(("?", "."))
        assert "{" not in f.message + f.question, "an unfilled placeholder"
        assert not re.search(rf"\b(?:{'|'.join(NAMES)})\b", f.message + f.question), (
            "findings use labels, never names"
        )


@pytest.mark.parametrize(
    ("rule", "change", "child"),
    [
        (
            "child_harm.child_untouched",
            lambda d: [b.update(children_present=["c1"]) for b in d["behaviours"]],
            "c2",
        ),
        (
            "efforts.child_unserved",
            lambda d: [e.update(children=["c1"]) for e in d["efforts"]],
            "c2",
        ),
        ("impact.child_none", lambda d: _remove(d, "impacts", "i3", "i4"), "c2"),
        ("impact.unlinked", lambda d: _set(d, "impacts", "i3", caused_by=[]), "c2"),
        (
            "impact.one_domain",
            lambda d: _set(d, "impacts", "i2", domain="emotional_behavioural"),
            "c1",
        ),
    ],
)
def test_findings_about_one_child_carry_its_id_and_label(rule, change, child):
    """A finding about one child names it by label in the message and by id in ``ids``."""
    (finding,) = [f for f in check(changed(change)) if f.rule == rule]
    label = {"c1": "Child A", "c2": "Child B"}[child]
    assert child in finding.ids
    assert label in finding.message


def test_unlinked_impacts_list_the_child_and_each_impact():
    """impact.unlinked gives the child's id and the ids of the unlinked impacts, counted."""
    data = changed(lambda d: [_set(d, "impacts", i, caused_by=[]) for i in ("i3", "i4")])
    (finding,) = [f for f in check(data) if f.rule == "impact.unlinked"]
    assert finding.ids == ("c2", "i3", "i4")
    assert "2 impacts on Child B" in finding.message


def test_a_case_with_no_behaviours_is_one_pattern_gap_not_one_per_child():
    """With nothing of his mapped, per-child component-2 gaps give way to the case-level ones."""
    rules = [f.rule for f in check(changed(lambda d: d.update(behaviours=[])))]
    assert "child_harm.child_untouched" not in rules
    assert rules.count("child_harm.none") == 1


@pytest.mark.parametrize(
    ("births", "asked"),
    [
        ({"c1": "2021-06", "c2": "2022"}, ()),  # 2 and 1 at the latest record (2023, to Dec)
        ({"c1": "2015", "c2": "2022"}, ("c1",)),
        ({"c1": "2019-10-01", "c2": "2020-02"}, ("c1",)),  # c1 is 4 by then, c2 not yet
        ({}, ("c1", "c2")),  # no birth date: we do not know they cannot be asked
    ],
)
def test_a_childs_own_words_are_asked_for_only_when_the_child_can_talk(births, asked):
    """voice.no_child_quote names the children old enough to be asked, and none if none is."""

    def change(d: dict[str, Any]) -> None:
        _no_child_quote(d)
        for p in d["people"]:
            if p["id"] in births:
                p["birth_date"] = births[p["id"]]

    found = [f for f in check(changed(change)) if f.rule == "voice.no_child_quote"]
    assert tuple(i for f in found for i in f.ids) == asked


# -- the phrase rules: her plan, his success indicators ----------------------------------------


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Mother must keep him away from the children.", True),
        ("Ana will keep Marco away from Leo and Mia.", True),
        ("Ensure he does not come to the house.", True),
        ("She should make sure the father has no contact with the children.", True),
        ("Mother will protect the children from him.", True),
        ("Protect both the children from domestic violence.", True),
        ("Mother must leave the relationship or the children will be removed.", True),
        ("Ana to end the relationship with Marco.", True),
        ("She will not allow contact between him and the children.", True),
        ("Mother must obtain a protective order or the children will be removed.", True),
        ("Apply for a non-molestation order by March.", True),
        ("Mother to supervise all contact.", True),
        ("She must not return to him.", True),
        ("Mother will demonstrate her ability to protect.", True),
        ("Meet the DV advocate monthly to review her own safety plan.", False),
        ("Agata keeps her recovery appointments; DCF pays for rides.", False),
        ("Stop Marco's reports from driving decisions about Ana.", False),
        ("Mother takes the children to the GP and keeps their routines.", False),
        ("The court, not Ana, decides on his contact; his lawyer files any request.", False),
    ],
)
def test_survivor_plan_items_that_make_her_responsible_for_him(text, flagged):
    """Her plan items asking her to control him or end his violence are flagged; others are not."""
    data = changed(lambda d: _set(d["plans"], "survivor", "sp1", action=text))
    assert ("plans.survivor_responsible" in fired(data)) is flagged


@pytest.mark.parametrize(
    ("indicator", "flagged"),
    [
        ("Attends all 26 sessions.", True),
        ("Completes the programme.", True),
        ("Attendance at 10 sessions.", True),
        ("Certificate of completion received.", True),
        ("Enrolled in the group by May.", True),
        ("No threats or insults to Ana for six months.", False),
        (
            "Attends every contact on time and does not question the children about their mother.",
            False,
        ),
        ("Supervisors record no hitting, threats or talk about Ana for 12 sessions.", False),
        ("The children say handovers feel calm.", False),
    ],
)
def test_perpetrator_plan_success_that_is_only_attendance(indicator, flagged):
    """His plan's success indicators of attendance or completion alone are flagged."""
    data = changed(lambda d: _set(d["plans"], "perpetrator", "pp1", success_indicator=indicator))
    assert ("plans.attendance_only" in fired(data)) is flagged


# -- triggers with several sources -----------------------------------------------------------


@pytest.mark.parametrize(
    "trigger",
    [
        lambda ws: ws.update(threats_to_workers=[{"id": "w1", "description": "Threatened her."}]),
        lambda ws: ws.update(violence_outside_family=[{"id": "w1", "description": "Hit a man."}]),
        lambda ws: ws.update(flags=["threats_against_helpers"]),
    ],
    ids=["threats_to_workers", "violence_outside_family", "flag"],
)
def test_each_worker_safety_concern_without_a_visit_plan_is_a_gap(trigger):
    """Threats to workers, violence outside the family or the flag, with no visit plan, fire."""

    def change(d: dict[str, Any]) -> None:
        _remove(d, "behaviours", "b5")
        d["worker_safety"].pop("visit_plan")
        trigger(d["worker_safety"])

    assert "worker_safety.no_visit_plan" in fired(changed(change))


def test_no_visit_plan_is_needed_when_nothing_points_at_workers():
    """Without any worker-safety concern, a missing visit plan is not a finding."""

    def change(d: dict[str, Any]) -> None:
        _remove(d, "behaviours", "b5")
        d["worker_safety"].pop("visit_plan")
        d["worker_safety"]["threats_to_workers"] = []

    assert "worker_safety.no_visit_plan" not in fired(changed(change))


@pytest.mark.parametrize(
    ("change", "fires"),
    [
        (lambda d: _set(d, "efforts", "e1", description="Ana separated from Marco in May."), False),
        (lambda d: [b.update(phase="together") for b in d["behaviours"]], False),
        (
            lambda d: (
                [b.update(phase="together") for b in d["behaviours"]],
                _set(d, "efforts", "e3", description="Ana fled with the children."),
            ),
            True,
        ),
    ],
    ids=["after-recorded", "no-separation", "separation-in-text"],
)
def test_separation_without_his_later_behaviour(change, fires):
    """A separation in phase or text with no post-separation behaviour of his is a gap."""
    assert ("pattern.post_separation_unasked" in fired(changed(change))) is fires


# -- demo cases ------------------------------------------------------------------------------


def _demo(name: str) -> Case:
    return parse_case(json.loads((DEMO / f"{name}.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", ["demo-01", "demo-02"])
def test_documented_demo_cases_raise_no_gap(name):
    """The well-documented demo cases document every component: no gap against any of them."""
    findings = find_gaps(_demo(name))
    assert gaps.gaps(findings) == []


def test_the_weak_training_case_raises_findings_in_all_five_components():
    """demo-03, written badly on purpose, has findings in components 1 to 5 and in its plans."""
    findings = find_gaps(_demo("demo-03"))
    groups = gaps.by_component(findings)
    assert all(groups[c] for c in gaps.COMPONENTS)
    assert {"plans.survivor_responsible", "voice.no_child_quote"} <= {f.rule for f in findings}


# -- every case ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_find_gaps_holds_for_every_valid_case(case):
    """On any valid case find_gaps returns findings whose ids exist and whose text is complete."""
    known = {p.id for p in case.people} | {r.id for _, r in case.records()}
    for f in find_gaps(case):
        assert set(f.ids) <= known
        assert f.severity in ("gap", "note") and f.area in gaps.AREAS
        assert "{" not in f.message + f.question


# -- the product's own words -----------------------------------------------------------------

# domain.md section 3: phrasings that hide him or blame her, which our own text must not use.
AVOID = [
    r"fail\w* to protect",
    r"exposed",
    r"witness",
    r"volatile",
    r"\bmutual",
    r"\bconflict",
    r"\bthe couple\b",
    r"domestic (?:incident|dispute|disturbance)",
    r"\banger\b",
    r"lost his temper",
    r"\bshe allowed\b",
    r"why doesn't she",
]


@pytest.mark.parametrize("rule", gaps.rules(), ids=lambda r: r.id)
def test_rule_text_uses_the_models_language(rule):
    """No rule message or question uses a phrasing domain.md section 3 says to avoid."""
    text = f"{rule.message} {rule.question}"
    for phrase in AVOID:
        assert not re.search(phrase, text, re.I), phrase


# -- grouping helpers ------------------------------------------------------------------------


def test_by_component_keeps_every_component_in_order():
    """by_component gives components 1-5 then None, each with its findings, empty ones kept."""
    f1 = Finding("r", 1, "pattern", "gap", "m", (), "q?")
    f0 = Finding("s", None, "voice", "note", "m", (), "q?")
    groups = gaps.by_component([f0, f1])
    assert list(groups) == [1, 2, 3, 4, 5, None]
    assert groups[1] == [f1] and groups[None] == [f0] and groups[3] == []
    assert gaps.components_with_gaps([f0, f1]) == {1}
    assert gaps.by_area([f0, f1])["voice"] == [f0]


def test_findings_are_compared_by_value():
    """Two findings with the same fields are equal and a Finding cannot be changed."""
    a = Finding("r", 1, "pattern", "gap", "m", ("b1",), "q?")
    assert a == Finding("r", 1, "pattern", "gap", "m", ("b1",), "q?")
    with pytest.raises(AttributeError):
        a.rule = "other"  # type: ignore[misc]


# -- casemap check ---------------------------------------------------------------------------


def test_check_prints_findings_grouped_by_component_with_questions(capsys):
    """`casemap check` prints each component's canonical wording, its findings and questions."""
    assert cli.main(["check", str(DEMO / "demo-03.json")]) == 0
    out = capsys.readouterr().out
    assert "1 · Perpetrator's pattern of coercive control" in out
    assert "5 · Role of substance abuse, mental health, culture" in out
    assert out.index("1 · ") < out.index("No source is recorded") < out.index("2 · ")
    assert "ask: What will he be required to do" in out


def test_check_json_lists_every_finding_with_the_documented_keys(capsys):
    """`casemap check --json` prints the findings as a list of objects with the seven keys."""
    assert cli.main(["check", str(DEMO / "demo-03.json"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = [f.as_dict() for f in find_gaps(_demo("demo-03"))]
    assert data == expected
    assert set(data[0]) == {"rule", "component", "area", "severity", "message", "ids", "question"}


def test_check_exits_0_without_findings(capsys):
    """A case with nothing missing is not an error: exit 0 and empty JSON list."""
    assert cli.main(["check", str(DEMO / "demo-01.json"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize("content", [None, "{not json", '{"format": "casemap/9"}'])
def test_check_exits_2_on_a_file_it_cannot_read(tmp_path, capsys, content):
    """A missing, malformed or unreadable casefile exits 2 with a message naming the file."""
    path = tmp_path / "case.casefile.json"
    if content is not None:
        path.write_text(content)
    assert cli.main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err
