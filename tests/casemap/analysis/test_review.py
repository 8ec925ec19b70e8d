"""Reflective case review: evidence per criterion, suggested ratings, prompts."""

from __future__ import annotations

from pathlib import Path

import pytest

from casemap import store, taxonomy
from casemap.analysis import gaps, review
from casemap.model import dump_case, parse_case

DEMO = Path(__file__).resolve().parents[3] / "casefiles" / "demo"


@pytest.fixture(scope="module")
def weak():
    return store.load(DEMO / "demo-03.json")


@pytest.fixture(scope="module")
def weak_evidence(weak):
    return review.evidence(weak)


# Counted by hand from casefiles/demo/demo-03.json (the weak training case).
HAND_COUNTED = [
    ("pattern_documented", "behaviours", 14),
    ("pattern_documented", "categories", 9),  # physical, emotional, intimidation, threats,
    # economic, minimising, other, monitoring, using_children
    ("pattern_documented", "sourced", 7),  # b2 b5 b6 b8 b9 b12 b14
    ("pattern_documented", "dated", 13),  # all but b7
    ("pattern_documented", "post_separation", 3),  # b12 b13 b14
    ("harm_to_child_documented", "child_directed", 1),  # b13, using the children
    ("harm_to_child_documented", "children_reached", 1),  # Child A, present at b13
    ("protective_efforts_documented", "efforts", 6),
    ("protective_efforts_documented", "effort_categories", 2),
    ("child_impact_documented", "impacts", 5),
    ("child_impact_documented", "children", 3),
    ("child_impact_documented", "children_with_impact", 2),  # the baby has none
    ("child_impact_documented", "linked_impacts", 0),
    ("child_impact_documented", "child_quotes", 0),
    ("intersections_documented", "intersections", 1),
    ("intersections_documented", "linked_intersections", 0),
    ("partnership_with_survivor", "survivor_plan_items", 5),
    ("partnership_with_survivor", "survivor_quotes", 0),
    ("intervention_with_perpetrator", "perpetrator_plan_items", 0),
    ("safe_and_together", "harm_statements", 1),
    ("safe_and_together", "danger_statements", 2),
    ("safe_and_together", "safety_goals", 1),
]


@pytest.mark.parametrize(("criterion", "key", "expected"), HAND_COUNTED)
def test_counts_match_hand_counted_demo(weak_evidence, criterion, key, expected):
    """The evidence counts for the weak demo case equal the values counted by hand."""
    assert weak_evidence[criterion].counts[key] == expected


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        ("intervention_with_perpetrator", "not_met"),  # no plan for him at all
        ("pattern_documented", "partly"),  # unsourced and undated behaviours
        ("child_impact_documented", "partly"),  # unlinked impacts, no child's words
        ("intersections_documented", "partly"),  # her mental health, no link to him
    ],
)
def test_suggested_ratings_for_weak_demo(weak_evidence, criterion, expected):
    """The weak demo case gets the rating its record supports: nothing → not met, gaps → partly."""
    assert weak_evidence[criterion].suggested == expected


def test_evidence_covers_every_criterion_in_order(weak_evidence):
    """Evidence comes back for the eight criteria, in the taxonomy's order."""
    assert tuple(weak_evidence) == taxonomy.ids("review_criterion")


def test_related_gaps_are_the_findings_for_that_criterion(weak, weak_evidence):
    """Each gap finding of the case appears under every criterion it bears on, and only there."""
    for f in gaps.find_gaps(weak):
        for criterion, ev in weak_evidence.items():
            assert (f in ev.gaps) == (criterion in review.criteria_of_finding(f))


def test_examples_are_records_of_the_case(weak, weak_evidence):
    """Examples name existing records and are at most three, shortened descriptions."""
    ids = {r.id for _, r in weak.records()}
    for ev in weak_evidence.values():
        assert len(ev.examples) <= review.EXAMPLES_PER_CRITERION
        for ex in ev.examples:
            assert ex.id in ids
            assert len(ex.text) <= review.EXAMPLE_LENGTH


def test_no_perpetrator_plan_is_evidence_for_intervention(weak_evidence):
    """The missing perpetrator plan is listed under intervention with the perpetrator."""
    rules = [f.rule for f in weak_evidence["intervention_with_perpetrator"].gaps]
    assert "plans.no_perpetrator_plan" in rules


def test_every_gap_rule_bears_on_some_criterion():
    """No missing-information rule is left out of the review: each maps to a criterion."""
    for rule in gaps.rules():
        finding = gaps.Finding(rule.id, rule.component, rule.area, rule.severity, "", (), "")
        assert review.criteria_of_finding(finding), rule.id


@pytest.mark.parametrize(
    ("key_count", "severities", "wording", "expected"),
    [
        (0, [], [], "not_met"),
        (0, ["gap"], [], "not_met"),
        (3, [], [], "met"),
        (3, ["note"], [], "met"),
        (3, ["gap"], [], "partly"),
        (3, [], ["a wording finding"], "partly"),
    ],
)
def test_suggest_table(key_count, severities, wording, expected):
    """A suggestion follows the rule: nothing recorded, open gaps or wording, or met."""
    findings = [gaps.Finding("x", 1, "pattern", s, "", (), "") for s in severities]
    rating, reason = review.suggest("pattern_documented", key_count, findings, wording)
    assert rating == expected
    assert reason


def test_child_criteria_not_applicable_without_children(weak):
    """A case with no child gets 'not applicable' for the two child criteria."""
    data = dump_case(weak)
    child_ids = {p["id"] for p in data["people"] if p["role"] == "child"}
    for section in ("impacts",):
        data[section] = []
    data["people"] = [p for p in data["people"] if p["id"] not in child_ids]
    for b in data["behaviours"]:
        b["children_present"] = [c for c in b["children_present"] if c not in child_ids]
        b["targets"] = [t for t in b["targets"] if t not in child_ids]
    for e in data["efforts"]:
        e["children"] = []
    ev = review.evidence(parse_case(data))
    assert ev["harm_to_child_documented"].suggested == "not_applicable"
    assert ev["child_impact_documented"].suggested == "not_applicable"


def test_ratings_prefer_the_latest_review():
    """Ratings come from the latest review by date; unrated criteria take the suggestion."""
    case = store.load(DEMO / "demo-02.json")
    data = dump_case(case)
    data["reviews"].insert(
        0,
        {
            "id": "rv0",
            "date": "2025-01-10",
            "ratings": {"pattern_documented": {"rating": "not_met"}},
        },
    )
    newer = parse_case(data)
    assert review.latest_review(newer).id == "rv0"
    got = review.ratings(newer)
    assert got["pattern_documented"] == "not_met"
    assert (
        got["partnership_with_survivor"]
        == review.evidence(newer)["partnership_with_survivor"].suggested
    )


def test_ratings_without_review_are_the_suggestions(weak, weak_evidence):
    """With no review, every rating is the evidence's suggestion."""
    assert review.ratings(weak) == {c: e.suggested for c, e in weak_evidence.items()}


def test_supervisor_prompts_hold_the_model_questions():
    """The prompts include pivoting to the perpetrator, worker fear and missing voices."""
    ids = [p.id for p in review.SUPERVISOR_PROMPTS]
    assert ids == ["pivot", "worker_fear", "voice"]
    assert "Who caused the harm we are worried about?" in review.SUPERVISOR_PROMPTS[0].questions


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Worker could not locate father at his address.", True),
        ("Further incident reported by a neighbour. No details.", True),
        ("Unable to contact him by phone.", True),
        ("He pushed her into the door frame.", False),
    ],
)
def test_avoidance_signs(weak, text, found):
    """Wording that can signal worker fear or avoidance is found in a record."""
    data = dump_case(weak)
    data["behaviours"] = [{**data["behaviours"][1], "description": text}]
    data["impacts"] = [{**i, "caused_by": []} for i in data["impacts"]]
    case = parse_case(data)
    assert bool(review.avoidance_signs(case)) is found


def test_criterion_label_has_numeral():
    """Criterion headings carry the implementation document's numeral."""
    assert review.criterion_label("intersections_documented").startswith("viii. ")


@pytest.mark.parametrize(
    ("criterion", "record", "rule"),
    [
        ("pattern_documented", "b3", "volatile-relationship"),  # "Volatile relationship, ..."
        ("partnership_with_survivor", "st1", "failure-to-protect"),  # blames her, in a statement
        ("safe_and_together", "st1", "failure-to-protect"),  # the statement itself
        ("child_impact_documented", "i3", "exposure-to-violence"),  # "exposed to domestic violence"
    ],
)
def test_wording_findings_bear_on_their_criterion(weak_evidence, criterion, record, rule):
    """A wording finding is listed under the criterion whose record holds it (and BV under i)."""
    found = {(lf.record, lf.finding.rule) for lf in weak_evidence[criterion].language}
    assert (record, rule) in found


def test_wording_in_his_behaviours_is_not_under_her_efforts(weak_evidence):
    """Wording in a behaviour record does not count against the protective-efforts criterion."""
    records = {lf.record for lf in weak_evidence["protective_efforts_documented"].language}
    assert not any(r.startswith("b") for r in records)
