"""Reflective case review: the eight criteria, the evidence for each, and the supervisor prompts.

The implementation-strategies document asks agencies to review cases against criteria i-viii
(partnership with the survivor, intervention with the perpetrator, keeping the child safe and
together, and clear documentation of the five critical components), and to use the components
in supervision to *expose missing information* (shared/sources/004, point 8 and "supervisors";
shared/domain.md 1.3). :func:`evidence` gathers, for each criterion, what the case already
shows: counts, a few example records, the missing-information findings and the language
findings that bear on it, and a suggested rating. The supervisor decides; the suggestion only
says what the record alone supports.

Examples carry record ids and a short description: a review is internal supervision work, and
its report goes to the case-record audience, which has already left survivor-confidential
records out (``casemap.render.audience``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from casemap import dates, taxonomy
from casemap.model import Case, Record

from . import gaps, language

CRITERIA: tuple[str, ...] = taxonomy.ids("review_criterion")
RATINGS: tuple[str, ...] = taxonomy.ids("rating")

# Roman numerals of the implementation-strategies document's list, for headings.
NUMERALS = dict(zip(CRITERIA, ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii"), strict=True))

# Criteria iv-viii are the documentation of critical components 1-5 (domain.md 1.3).
COMPONENT_CRITERION = {
    1: "pattern_documented",
    2: "harm_to_child_documented",
    3: "protective_efforts_documented",
    4: "child_impact_documented",
    5: "intersections_documented",
}

# Findings not tied to one component, placed by rule id, else by area.
RULE_CRITERIA: dict[str, tuple[str, ...]] = {
    "plans.no_perpetrator_plan": ("intervention_with_perpetrator",),
    "plans.attendance_only": ("intervention_with_perpetrator",),
    "plans.indicator_missing": ("intervention_with_perpetrator",),
    "plans.survivor_responsible": ("partnership_with_survivor", "safe_and_together"),
    "plans.no_harm_statement": ("safe_and_together",),
    "plans.no_danger_statement": ("safe_and_together",),
    "plans.statement_about_her": ("safe_and_together", "partnership_with_survivor"),
    "plans.safety_goal_on_her": ("safe_and_together", "partnership_with_survivor"),
    "plans.statement_not_about_him": ("safe_and_together",),
    "worker_safety.no_visit_plan": ("intervention_with_perpetrator",),
    "worker_safety.survivor_not_notified": ("partnership_with_survivor",),
    "voice.no_child_quote": ("child_impact_documented",),
    "voice.no_survivor_quote": ("partnership_with_survivor",),
    "sources.no_perpetrator_account": ("intervention_with_perpetrator", "pattern_documented"),
}
AREA_CRITERIA: dict[str, tuple[str, ...]] = {
    "plans": ("intervention_with_perpetrator",),
    "worker_safety": ("intervention_with_perpetrator",),
    "voice": ("partnership_with_survivor",),
    "sources": ("pattern_documented",),
}

# Language findings bear on the criterion whose records hold the wording.
SECTION_CRITERION = {
    "behaviours": "pattern_documented",
    "efforts": "protective_efforts_documented",
    "impacts": "child_impact_documented",
    "intersections": "intersections_documented",
    "responses": "safe_and_together",
    "statements": "safe_and_together",
    "plans.survivor": "partnership_with_survivor",
    "plans.perpetrator": "intervention_with_perpetrator",
    "worker_safety.threats_to_workers": "intervention_with_perpetrator",
    "worker_safety.violence_outside_family": "pattern_documented",
}

EXAMPLES_PER_CRITERION = 3
EXAMPLE_LENGTH = 90

COUNT_LABELS = {
    "survivor_plan_items": "items in her plan",
    "survivor_accounts": "records from her own account",
    "survivor_quotes": "records quoting her own words",
    "efforts": "protective efforts of hers",
    "perpetrator_plan_items": "items in his plan",
    "with_indicator": "of them with an observable success indicator",
    "perpetrator_accounts": "records from his own account",
    "justice_responses": "arrests, protective orders and court hearings",
    "harm_statements": "harm statements",
    "danger_statements": "danger statements",
    "safety_goals": "safety goals",
    "children": "children",
    "behaviours": "behaviours of his",
    "categories": "kinds of behaviour",
    "sourced": "with a source",
    "dated": "with a date",
    "post_separation": "after separation",
    "child_directed": "behaviours of his aimed at or around the children",
    "children_reached": "children named in them",
    "effort_categories": "kinds of effort",
    "children_served": "children her efforts served",
    "impacts": "impacts on the children",
    "children_with_impact": "children with an impact recorded",
    "linked_impacts": "impacts linked to a behaviour of his",
    "child_quotes": "records quoting a child's own words",
    "intersections": "intersections",
    "linked_intersections": "with a link to his behaviour",
}


@dataclass(frozen=True)
class Example:
    """A record that shows the criterion in the case: its id and a short description."""

    id: str
    text: str


@dataclass(frozen=True)
class Evidence:
    """What the case shows for one criterion, and the rating that alone would support."""

    criterion: str
    counts: dict[str, int]
    examples: tuple[Example, ...]
    gaps: tuple[gaps.Finding, ...]
    language: tuple[language.CaseLanguageFinding, ...]
    suggested: str
    reason: str

    @property
    def label(self) -> str:
        return criterion_label(self.criterion)


def criterion_label(criterion: str) -> str:
    """The criterion's heading, e.g. "iv. Perpetrator's pattern of coercive control"."""
    return f"{NUMERALS[criterion]}. {taxonomy.label('review_criterion', criterion)}"


def count_label(key: str) -> str:
    return COUNT_LABELS.get(key, key.replace("_", " "))


# -- supervisor prompts ----------------------------------------------------------------------


@dataclass(frozen=True)
class Prompt:
    """A question a supervisor asks while reading a case, with the source of the practice."""

    id: str
    title: str
    questions: tuple[str, ...]
    source: str


SUPERVISOR_PROMPTS: tuple[Prompt, ...] = (
    Prompt(
        "pivot",
        "Pivoting to the perpetrator",
        (
            "Who caused the harm we are worried about?",
            "Where the record says she is in denial, not cooperating or not protecting, what "
            "has he done, and what has our system not done, that explains it?",
            "Does every plan and decision rest on his behaviour as a parenting choice, or do "
            "they ask her to control him?",
        ),
        "domain.md 1.7 (pivoting to the perpetrator; supervisor tips)",
    ),
    Prompt(
        "worker_fear",
        "Signs of worker fear or avoidance",
        (
            "Is he described as 'could not be located' or 'unknown' without a record of the "
            "efforts made to reach him?",
            "Are the details of his violence missing where contact with him was expected?",
            "Is there a visit plan (paired visits, police, phones, when to leave) where he "
            "threatens workers or others, and was she told before any contact with him?",
        ),
        "domain.md 5 (worker safety: signs of worker fear or avoidance)",
    ),
    Prompt(
        "voice",
        "Whose voice is missing",
        (
            "Are her own words in the record, about what she does to keep the children safe "
            "and well?",
            "Are each child's own words in the record, not the worker's paraphrase?",
            "Is his account, or his refusal to give one, recorded as his choice?",
        ),
        "domain.md 1.7 (exact words), 1.8 (case reading: the mother's voice barely present)",
    ),
)

# Phrases in the record that can signal worker fear or avoidance of him (domain.md 5).
_AVOIDANCE = re.compile(
    r"\b(?:could ?n[o']t|unable to|did not|didn't|was not able to|were not able to)\s+"
    r"(?:locate|find|reach|contact|engage|interview|see)\b"
    r"|\b(?:whereabouts|address) (?:is |was )?unknown\b"
    r"|\bfather (?:is |was )?(?:absent|unknown|not involved)\b"
    r"|\bno (?:further )?details\b",
    re.IGNORECASE,
)


def avoidance_signs(case: Case) -> tuple[Example, ...]:
    """Records whose wording can signal worker fear or avoidance of him ("could not locate")."""
    return tuple(_example(r) for _, r in case.records() if _AVOIDANCE.search(_text_of(r)))


# -- evidence --------------------------------------------------------------------------------


def _text_of(r: Record) -> str:
    parts = [r.description, r.quote or ""]
    for key in ("action", "purpose", "success_indicator", "perpetrator_link"):
        parts.append(getattr(r, key, None) or "")
    return " ".join(p for p in parts if p)


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= EXAMPLE_LENGTH:
        return text
    return text[: EXAMPLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _example(r: Record) -> Example:
    return Example(r.id, _short(getattr(r, "action", "") or r.description or r.quote or ""))


def _examples(records: Iterable[Record]) -> tuple[Example, ...]:
    """The first few records, earliest first (undated last), as examples."""
    listed = list(records)
    ordered = sorted(listed, key=lambda r: (r.date is None, r.date.sort_key() if r.date else ()))
    return tuple(_example(r) for r in ordered[:EXAMPLES_PER_CRITERION])


def is_child_directed(case: Case, behaviour: Any) -> bool:
    """Component 2: aimed at a child, or of a child-directed category (casefile-format.md)."""
    children = {c.id for c in case.children}
    return behaviour.category in taxonomy.CHILD_DIRECTED_CATEGORIES or bool(
        children & set(behaviour.targets)
    )


def _of_role(case: Case, role: str) -> set[str]:
    return {p.id for p in case.people_with_role(role)}


def _facts(case: Case) -> dict[str, tuple[dict[str, int], list[Record], int]]:
    """Per criterion: its counts, the records to take examples from, and its key count.

    A key count of zero means the record holds nothing at all for the criterion.
    """
    records = [r for _, r in case.records()]
    survivor_plan, perpetrator_plan = case.plans.survivor, case.plans.perpetrator
    from_her = [r for r in records if r.source == "survivor"]
    her_quotes = [r for r in records if r.quote and r.source == "survivor"]
    from_him = [r for r in records if r.source == "perpetrator"]
    justice = [
        r for r in case.responses if r.kind in ("arrest", "protective_order", "court_hearing")
    ]
    statements = {k: [s for s in case.statements if s.kind == k] for k in ("harm", "danger")}
    goals = [s for s in case.statements if s.kind == "safety_goal"]
    behaviours = case.behaviours
    child_directed = [b for b in behaviours if is_child_directed(case, b)]
    children = {c.id for c in case.children}
    reached = {t for b in child_directed for t in (*b.targets, *b.children_present)} & children
    served = {c for e in case.efforts for c in e.children} & children
    impacted = {i.child for i in case.impacts}
    child_quotes = [r for r in records if r.quote and r.source == "child"]
    linked_i = [i for i in case.intersections if (i.perpetrator_link or "").strip()]
    return {
        "partnership_with_survivor": (
            {
                "survivor_plan_items": len(survivor_plan),
                "survivor_accounts": len(from_her),
                "survivor_quotes": len(her_quotes),
            },
            [*survivor_plan, *her_quotes],
            len(survivor_plan) + len(from_her),
        ),
        "intervention_with_perpetrator": (
            {
                "perpetrator_plan_items": len(perpetrator_plan),
                "with_indicator": sum(1 for p in perpetrator_plan if p.success_indicator.strip()),
                "perpetrator_accounts": len(from_him),
                "justice_responses": len(justice),
            },
            list(perpetrator_plan),
            len(perpetrator_plan),
        ),
        "safe_and_together": (
            {
                "harm_statements": len(statements["harm"]),
                "danger_statements": len(statements["danger"]),
                "safety_goals": len(goals),
                "survivor_plan_items": len(survivor_plan),
            },
            [*statements["danger"], *goals, *statements["harm"]],
            len(case.statements) + len(survivor_plan),
        ),
        "pattern_documented": (
            {
                "behaviours": len(behaviours),
                "categories": len({b.category for b in behaviours}),
                "sourced": sum(1 for b in behaviours if b.source),
                "dated": sum(1 for b in behaviours if b.when),
                "post_separation": sum(1 for b in behaviours if b.phase == "post_separation"),
            },
            list(behaviours),
            len(behaviours),
        ),
        "harm_to_child_documented": (
            {"child_directed": len(child_directed), "children_reached": len(reached)},
            child_directed,
            len(child_directed),
        ),
        "protective_efforts_documented": (
            {
                "efforts": len(case.efforts),
                "effort_categories": len({e.category for e in case.efforts}),
                "children_served": len(served),
            },
            list(case.efforts),
            len(case.efforts),
        ),
        "child_impact_documented": (
            {
                "impacts": len(case.impacts),
                "children": len(children),
                "children_with_impact": len(impacted & children),
                "linked_impacts": sum(1 for i in case.impacts if i.caused_by),
                "child_quotes": len(child_quotes),
            },
            [*child_quotes, *case.impacts],
            len(case.impacts),
        ),
        "intersections_documented": (
            {
                "intersections": len(case.intersections),
                "linked_intersections": len(linked_i),
            },
            list(case.intersections),
            len(case.intersections),
        ),
    }


def criteria_of_finding(finding: gaps.Finding) -> tuple[str, ...]:
    """The criteria a missing-information finding bears on."""
    if finding.component is not None:
        return (COMPONENT_CRITERION[finding.component],)
    return RULE_CRITERIA.get(finding.rule) or AREA_CRITERIA.get(finding.area, ())


def criteria_of_wording(section: str | None, operation: str) -> tuple[str, ...]:
    """The criteria a wording finding bears on: the one whose records hold it, and
    partnership with the survivor wherever the wording blames her (operation BV)."""
    out = [c for c in (SECTION_CRITERION.get(section or ""),) if c]
    if operation == "BV" and "partnership_with_survivor" not in out:
        out.append("partnership_with_survivor")
    return tuple(out)


_CHILD_CRITERIA = ("harm_to_child_documented", "child_impact_documented")


def suggest(
    criterion: str,
    key_count: int,
    findings: Sequence[gaps.Finding],
    wording: Sequence[Any],
    has_children: bool = True,
) -> tuple[str, str]:
    """The rating the record alone supports, and why, in one sentence.

    Nothing recorded: not met. Any missing-information gap (not a note) or wording that hides
    him or blames her: partly. Otherwise met. The two child criteria are not applicable to a
    case with no child.
    """
    if criterion in _CHILD_CRITERIA and not has_children:
        return "not_applicable", "No child is recorded in this case."
    if key_count == 0:
        return "not_met", "Nothing is recorded for this criterion yet."
    open_gaps = [f for f in findings if f.severity == "gap"]
    if open_gaps or wording:
        parts = []
        if open_gaps:
            n = len(open_gaps)
            parts.append(f"{n} missing-information finding{'s' if n != 1 else ''}")
        if wording:
            n = len(wording)
            parts.append(f"{n} wording finding{'s' if n != 1 else ''}")
        return "partly", f"Recorded, with {' and '.join(parts)} still open."
    return "met", "Recorded, and no missing-information gap or wording finding is open."


def evidence(
    case: Case,
    findings: Sequence[gaps.Finding] | None = None,
    wording_findings: Sequence[language.CaseLanguageFinding] | None = None,
) -> dict[str, Evidence]:
    """For each of the eight criteria, in order, what the case shows and a suggested rating.

    ``findings`` and ``wording_findings`` are the case's gap and language findings when the
    caller has them already (the caseload computes them once per case).
    """
    if findings is None:
        findings = gaps.find_gaps(case)
    if wording_findings is None:
        wording_findings = language.lint_case(case)
    by_criterion: dict[str, list[gaps.Finding]] = {c: [] for c in CRITERIA}
    for f in findings:
        for c in criteria_of_finding(f):
            by_criterion[c].append(f)
    wording: dict[str, list[Any]] = {c: [] for c in CRITERIA}
    sections = {r.id: s for s, r in case.records()}
    for lf in wording_findings:
        for c in criteria_of_wording(sections.get(lf.record), lf.finding.operation):
            wording[c].append(lf)
    has_children = bool(case.children)
    out = {}
    for criterion, (counts, records, key) in _facts(case).items():
        rating, reason = suggest(
            criterion, key, by_criterion[criterion], wording[criterion], has_children
        )
        out[criterion] = Evidence(
            criterion=criterion,
            counts=counts,
            examples=_examples(records),
            gaps=tuple(by_criterion[criterion]),
            language=tuple(wording[criterion]),
            suggested=rating,
            reason=reason,
        )
    return out


def latest_review(case: Case) -> Any | None:
    """The most recent review (by date, then position in the file), or None."""
    if not case.reviews:
        return None

    def key(item: tuple[int, Any]) -> tuple[Any, ...]:
        position, review = item
        when = dates.parse_or_none(review.date)
        return (when is not None, when.sort_key() if when else (), position)

    return max(enumerate(case.reviews), key=key)[1]


def ratings(case: Case) -> dict[str, str]:
    """Each criterion's rating: the latest review's, else the evidence's suggestion.

    A criterion the latest review left unrated takes the suggestion too.
    """
    review = latest_review(case)
    rated = {c: r.rating for c, r in review.ratings.items()} if review else {}
    missing = [c for c in CRITERIA if c not in rated]
    suggested = {c: e.suggested for c, e in evidence(case).items()} if missing else {}
    return {c: rated.get(c) or suggested[c] for c in CRITERIA}
