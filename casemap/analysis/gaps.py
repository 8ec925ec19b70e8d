"""Missing information in a case, tied to the five critical components (shared/domain.md 1.3).

The model's QA use of the components is to *expose missing information* (domain.md 1.3, 1.6):
which part of his pattern, of his actions towards the children, of her protective efforts, of
the impact on each child and of the intersections is not known yet, and what to ask next.

Each rule is one small function registered in ``_CHECKS`` under its id; what it says (message,
question, component, area, severity) is data in ``gap_rules.json`` beside this file, so wording
is reviewed as practice text, not code. A rule function returns the places it fires as
:class:`Hit` values; :func:`find_gaps` turns them into :class:`Finding` values.

Findings use people's non-identifying labels ("Child A"), never names: they are shown in
training and presentation views. The ids of the people and records concerned are in ``ids``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from casemap import dates, taxonomy
from casemap.model import Case, Person, Record

Severity = Literal["gap", "note"]
AREAS = (
    "pattern",
    "child_harm",
    "efforts",
    "impact",
    "intersections",
    "plans",
    "worker_safety",
    "sources",
    "voice",
)


@dataclass(frozen=True)
class Finding:
    """One rule firing: what is missing, for which component, and the question to ask next."""

    rule: str
    component: int | None
    area: str
    severity: Severity
    message: str
    ids: tuple[str, ...]
    question: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``casemap check --json``."""
        return {
            "rule": self.rule,
            "component": self.component,
            "area": self.area,
            "severity": self.severity,
            "message": self.message,
            "ids": list(self.ids),
            "question": self.question,
        }


@dataclass(frozen=True)
class Rule:
    """What a rule says and where it belongs; loaded from ``gap_rules.json``."""

    id: str
    component: int | None
    area: str
    severity: Severity
    message: str
    question: str


@dataclass(frozen=True)
class Hit:
    """Where a rule fires: the ids concerned and the words that fill its message and question."""

    ids: tuple[str, ...] = ()
    words: dict[str, str] = field(default_factory=dict)


# -- the rules' text -----------------------------------------------------------------------


@cache
def _data() -> dict[str, Any]:
    text = resources.files("casemap.analysis").joinpath("gap_rules.json").read_text("utf-8")
    return json.loads(text)


@cache
def rules() -> tuple[Rule, ...]:
    """Every rule, in the order findings are reported."""
    return tuple(Rule(**r) for r in _data()["rules"])


def component_title(component: int | None) -> str:
    """The canonical wording of a critical component (domain.md 1.3), or "Across the case"."""
    if component is None:
        return _data()["across_the_case"]
    return _data()["components"][str(component)]


def area_title(area: str) -> str:
    return _data()["areas"][area]


COMPONENTS: tuple[int, ...] = (1, 2, 3, 4, 5)


# -- small helpers shared by the rules -------------------------------------------------------


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _join(words: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'; semicolons when an item holds a comma or an 'and'."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    if any(" and " in w for w in words) or (len(words) > 2 and any("," in w for w in words)):
        return "; ".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _children_words(case: Case) -> str:
    return _join([c.label for c in case.children]) or "the children"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _category(kind: str, term: str) -> str:
    return _lower_first(taxonomy.label(kind, term))


def _ids(records: Iterable[Record]) -> tuple[str, ...]:
    return tuple(r.id for r in records)


def _perpetrator_ids(case: Case) -> set[str]:
    return {p.id for p in case.people_with_role("perpetrator")}


def _survivor_ids(case: Case) -> set[str]:
    return {p.id for p in case.people_with_role("survivor")}


def _sourced_records(case: Case) -> list[Record]:
    # A plan item's source says who wrote the plan, not where a fact came from.
    return [r for section, r in case.records() if not section.startswith("plans.")]


def _is_child_directed(behaviour: Any, child_ids: set[str]) -> bool:
    return behaviour.category in taxonomy.CHILD_DIRECTED_CATEGORIES or any(
        t in child_ids for t in behaviour.targets
    )


@cache
def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "the father" wins over "father"; names are escaped: they are data.
    # A whole word, not a possessive: "stop Marco" asks her to stop him, while
    # "stop Marco's reports driving decisions" is about the system's response.
    unique = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) for w in unique) + r")(?![\w'’])"


def _names(people: Iterable[Person]) -> list[str]:
    out: list[str] = []
    for p in people:
        out += [p.label, *p.aliases]
        out += [p.name, *p.name.split()[:1]]  # the full name and the first name
    return out


@cache
def _responsibility_patterns(
    him: tuple[str, ...], kids: tuple[str, ...]
) -> tuple[tuple[re.Pattern[str], str], ...]:
    him_re = _alternation([*_data()["him_words"], *him])
    kids_re = (
        r"(?:(?:the|her|their|both|all|all the|both the|all of the|both of the) )?"
        + _alternation([*_data()["children_words"], *kids])
    )
    return tuple(
        (
            re.compile(
                p["pattern"]
                .replace("{him}", him_re)
                .replace("{kids}", kids_re)
                .replace("{violence}", _data()["violence_words"]),
                re.I,
            ),
            p["means"],
        )
        for p in _data()["survivor_responsible_phrases"]
    )


def _plan_text(item: Any) -> str:
    return " ".join((item.action, item.purpose, item.success_indicator, item.description))


def _responsibility_found(case: Case, items: Iterable[Any], text: Callable[[Any], str]):
    """The items whose text makes her responsible for his behaviour, and what each asks of her."""
    patterns = _responsibility_patterns(
        tuple(_names(case.people_with_role("perpetrator"))), tuple(_names(case.children))
    )
    flagged, means = [], []
    for item in items:
        found = [m for pattern, m in patterns if pattern.search(text(item))]
        if found:
            flagged.append(item)
            means += found
    return flagged, _join(list(dict.fromkeys(means)))


def separation_recorded(case: Case) -> bool:
    """A behaviour in the separating or post-separation phase, or a record that mentions one."""
    if any(b.phase in ("separating", "post_separation") for b in case.behaviours):
        return True
    words = _any_of(tuple(_data()["separation_words"]))
    return any(words.search(r.description) for r in _sourced_records(case))


# -- the rules -------------------------------------------------------------------------------

Check = Callable[[Case], list[Hit]]
_CHECKS: dict[str, Check] = {}


def _rule(rule_id: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        _CHECKS[rule_id] = fn
        return fn

    return register


# Component 1: his pattern of coercive control, and where we know it from.


@_rule("pattern.none")
def _no_behaviours(case: Case) -> list[Hit]:
    return [] if case.behaviours else [Hit()]


@_rule("pattern.few_behaviours")
def _few_behaviours(case: Case) -> list[Hit]:
    n = len(case.behaviours)
    if not 0 < n < 3:
        return []
    return [Hit(_ids(case.behaviours), {"behaviours": _count(n, "behaviour")})]


@_rule("pattern.single_category")
def _single_category(case: Case) -> list[Hit]:
    # Fewer than three is already an incident (few_behaviours); this is three or more of a kind.
    categories = {b.category for b in case.behaviours}
    if len(case.behaviours) < 3 or len(categories) != 1:
        return []
    (category,) = categories
    return [
        Hit(
            _ids(case.behaviours),
            {
                "behaviours": _count(len(case.behaviours), "behaviour"),
                "category": "recorded as 'other'"
                if category == "other"
                else _category("behaviour_category", category),
            },
        )
    ]


@_rule("pattern.post_separation_unasked")
def _post_separation_unasked(case: Case) -> list[Hit]:
    if not separation_recorded(case):
        return []
    if any(b.phase == "post_separation" for b in case.behaviours):
        return []
    return [Hit()]


@_rule("pattern.unsourced")
def _unsourced(case: Case) -> list[Hit]:
    missing = [b for b in case.behaviours if b.source is None]
    if not missing:
        return []
    return [Hit(_ids(missing), {"behaviours": _count(len(missing), "behaviour")})]


@_rule("sources.survivor_only")
def _survivor_only(case: Case) -> list[Hit]:
    sources = {r.source for r in _sourced_records(case)} - {None}
    return [Hit()] if sources == {"survivor"} else []


@_rule("sources.no_agency_record")
def _no_agency_record(case: Case) -> list[Hit]:
    sources = {r.source for r in _sourced_records(case)} - {None}
    # With her account alone, survivor_only already says this and more.
    if not case.behaviours or sources <= {"survivor"}:
        return []
    agency = {"police", "court", "child_welfare_record", "collateral"}
    return [] if sources & agency else [Hit()]


@_rule("sources.no_perpetrator_account")
def _no_perpetrator_account(case: Case) -> list[Hit]:
    if not case.behaviours:
        return []
    from_him = any(r.source == "perpetrator" for r in _sourced_records(case))
    return [] if from_him else [Hit()]


@_rule("pattern.undated")
def _undated(case: Case) -> list[Hit]:
    missing = [b for b in case.behaviours if b.when is None]
    if not missing:
        return []
    return [Hit(_ids(missing), {"behaviours": _count(len(missing), "behaviour")})]


@_rule("pattern.scope_beyond_family")
def _scope_beyond_family(case: Case) -> list[Hit]:
    if not case.behaviours:
        return []
    family = _survivor_ids(case) | {c.id for c in case.children}
    beyond = (
        case.worker_safety.violence_outside_family
        or case.worker_safety.threats_to_workers
        or any(b.category == "targeting_workers_or_others" for b in case.behaviours)
        or any(t not in family for b in case.behaviours for t in b.targets)
    )
    return [] if beyond else [Hit()]


# Component 2: his actions taken to harm the children.


@_rule("child_harm.none")
def _no_child_harm(case: Case) -> list[Hit]:
    child_ids = {c.id for c in case.children}
    if not child_ids:
        return []
    if any(_is_child_directed(b, child_ids) for b in case.behaviours):
        return []
    return [Hit(tuple(sorted(child_ids)), {"children": _children_words(case)})]


@_rule("child_harm.child_untouched")
def _child_untouched(case: Case) -> list[Hit]:
    if not case.behaviours:
        return []  # pattern.none and child_harm.none already say it for every child
    reached = {p for b in case.behaviours for p in (*b.targets, *b.children_present)}
    return [Hit((c.id,), {"child": c.label}) for c in case.children if c.id not in reached]


@_rule("child_harm.child_only_present")
def _child_only_present(case: Case) -> list[Hit]:
    # Multiple pathways to harm (domain.md 1.5): a child is not only a witness of what he does.
    child_ids = {c.id for c in case.children}
    present = {p for b in case.behaviours for p in b.children_present}
    aimed = {t for b in case.behaviours for t in b.targets} | {
        p
        for b in case.behaviours
        if b.category in taxonomy.CHILD_DIRECTED_CATEGORIES
        for p in b.children_present
    }
    return [
        Hit((c.id,), {"child": c.label})
        for c in case.children
        if c.id in child_ids & present and c.id not in aimed
    ]


# Component 3: the full spectrum of her efforts.

_FORMAL_OR_LEAVING = ("formal_help_seeking", "leaving_or_staying_strategy")


@_rule("efforts.none")
def _no_efforts(case: Case) -> list[Hit]:
    return [] if case.efforts else [Hit(words={"children": _children_words(case)})]


@_rule("efforts.only_formal_or_leaving")
def _only_formal_or_leaving(case: Case) -> list[Hit]:
    categories = {e.category for e in case.efforts}
    if not categories or not categories <= set(_FORMAL_OR_LEAVING):
        return []
    labels = [_category("effort_category", c) for c in _FORMAL_OR_LEAVING if c in categories]
    return [
        Hit(
            _ids(case.efforts),
            {"categories": _join(labels), "children": _children_words(case)},
        )
    ]


@_rule("efforts.child_unserved")
def _child_unserved(case: Case) -> list[Hit]:
    if not case.efforts:
        return []  # efforts.none covers every child
    served = {c for e in case.efforts for c in e.children}
    return [Hit((c.id,), {"child": c.label}) for c in case.children if c.id not in served]


@_rule("efforts.no_care_or_repair")
def _no_care_or_repair(case: Case) -> list[Hit]:
    categories = {e.category for e in case.efforts}
    if not categories or categories <= set(_FORMAL_OR_LEAVING) or not case.children:
        return []  # none at all, or only formal/leaving: the gaps above say it
    if categories & {"daily_care_and_routine", "emotional_repair"}:
        return []
    return [Hit(words={"children": _children_words(case)})]


# Component 4: the impact of his behaviour on each child.


def _impacts_by_child(case: Case) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for i in case.impacts:
        out[i.child].append(i)
    return out


@_rule("impact.child_none")
def _child_without_impact(case: Case) -> list[Hit]:
    by_child = _impacts_by_child(case)
    return [Hit((c.id,), {"child": c.label}) for c in case.children if not by_child.get(c.id)]


@_rule("impact.unlinked")
def _unlinked_impacts(case: Case) -> list[Hit]:
    hits = []
    by_child = _impacts_by_child(case)
    for child in case.children:
        unlinked = [i for i in by_child.get(child.id, []) if not i.caused_by]
        if unlinked:
            words = {"child": child.label, "impacts": _count(len(unlinked), "impact")}
            hits.append(Hit((child.id, *_ids(unlinked)), words))
    return hits


@_rule("impact.one_domain")
def _one_domain(case: Case) -> list[Hit]:
    hits = []
    by_child = _impacts_by_child(case)
    for child in case.children:
        domains = {i.domain for i in by_child.get(child.id, [])}
        if len(domains) == 1:
            (domain,) = domains
            words = {"child": child.label, "domain": _category("impact_domain", domain)}
            hits.append(Hit((child.id,), words))
    return hits


# Component 5: substance use, mental health, culture and other factors.


@_rule("intersections.none")
def _no_intersections(case: Case) -> list[Hit]:
    return [] if case.intersections else [Hit()]


@_rule("intersections.survivor_unlinked")
def _survivor_intersection_unlinked(case: Case) -> list[Hit]:
    survivors = _survivor_ids(case)
    unlinked = [
        i
        for i in case.intersections
        if i.person in survivors and not (i.perpetrator_link or "").strip()
    ]
    if not unlinked:
        return []
    factors = dict.fromkeys(_category("intersection_factor", i.factor) for i in unlinked)
    words = {
        "intersections": _count(len(unlinked), "intersection"),
        "factors": _join(list(factors)),
    }
    return [Hit(_ids(unlinked), words)]


@_rule("intersections.his_not_considered")
def _his_not_considered(case: Case) -> list[Hit]:
    if not case.intersections:
        return []
    perpetrators = _perpetrator_ids(case)
    return [] if any(i.person in perpetrators for i in case.intersections) else [Hit()]


# Plans and statements: his plan carries the change; hers stays minimal and safe.


@_rule("plans.no_perpetrator_plan")
def _no_perpetrator_plan(case: Case) -> list[Hit]:
    return [] if case.plans.perpetrator else [Hit()]


@_rule("plans.survivor_responsible")
def _survivor_responsible(case: Case) -> list[Hit]:
    flagged, means = _responsibility_found(case, case.plans.survivor, _plan_text)
    if not flagged:
        return []
    return [Hit(_ids(flagged), {"items": _count(len(flagged), "item"), "means": means})]


@_rule("plans.attendance_only")
def _attendance_only(case: Case) -> list[Hit]:
    attendance = _any_of(tuple(_data()["attendance_phrases"]))
    change = _any_of(tuple(_data()["behaviour_change_phrases"]))
    flagged = [
        item
        for item in case.plans.perpetrator
        if attendance.search(item.success_indicator) and not change.search(item.success_indicator)
    ]
    if not flagged:
        return []
    return [Hit(_ids(flagged), {"items": _count(len(flagged), "item")})]


@_rule("plans.indicator_missing")
def _indicator_missing(case: Case) -> list[Hit]:
    missing = [i for i in case.plans.perpetrator if not i.success_indicator.strip()]
    if not missing:
        return []
    return [Hit(_ids(missing), {"items": _count(len(missing), "item")})]


@_rule("plans.more_on_her")
def _more_on_her(case: Case) -> list[Hit]:
    # Keep her tasks minimal and put the change tasks on him (domain.md 3, item 32).
    hers, his = len(case.plans.survivor), len(case.plans.perpetrator)
    if not his or hers <= his:
        return []  # no plan for him at all is plans.no_perpetrator_plan
    words = {"survivor_items": _count(hers, "item"), "perpetrator_items": _count(his, "item")}
    return [Hit(_ids(case.plans.survivor), words)]


def _statement_missing(case: Case, kind: str) -> list[Hit]:
    if not case.behaviours:
        return []  # nothing of his mapped yet: the pattern gaps come first
    return [] if any(s.kind == kind for s in case.statements) else [Hit()]


@_rule("plans.no_harm_statement")
def _no_harm_statement(case: Case) -> list[Hit]:
    return _statement_missing(case, "harm")


@_rule("plans.no_danger_statement")
def _no_danger_statement(case: Case) -> list[Hit]:
    return _statement_missing(case, "danger")


@_rule("plans.safety_goal_on_her")
def _safety_goal_on_her(case: Case) -> list[Hit]:
    goals = [s for s in case.statements if s.kind == "safety_goal"]
    flagged, means = _responsibility_found(case, goals, lambda s: s.description)
    if not flagged:
        return []
    return [Hit(_ids(flagged), {"statements": _count(len(flagged), "statement"), "means": means})]


@_rule("plans.statement_not_about_him")
def _statement_not_about_him(case: Case) -> list[Hit]:
    # S&T alignment of SOP statements (domain.md 4.3): harm and danger are his behaviour.
    perpetrators = _perpetrator_ids(case)
    others = [
        s for s in case.statements if s.kind in ("harm", "danger") and s.about not in perpetrators
    ]
    if not others:
        return []
    return [Hit(_ids(others), {"statements": _count(len(others), "statement")})]


# Worker safety (domain.md 5).


def _worker_safety_concern(case: Case) -> bool:
    ws = case.worker_safety
    return bool(
        ws.threats_to_workers
        or ws.violence_outside_family
        or "threats_against_helpers" in ws.flags
        or any(b.category == "targeting_workers_or_others" for b in case.behaviours)
    )


def _concern_ids(case: Case) -> tuple[str, ...]:
    ws = case.worker_safety
    targeting = [b for b in case.behaviours if b.category == "targeting_workers_or_others"]
    return _ids([*ws.threats_to_workers, *ws.violence_outside_family, *targeting])


@_rule("worker_safety.no_visit_plan")
def _no_visit_plan(case: Case) -> list[Hit]:
    if not _worker_safety_concern(case) or (case.worker_safety.visit_plan or "").strip():
        return []
    return [Hit(_concern_ids(case))]


@_rule("worker_safety.risk_flags_no_plan")
def _risk_flags_no_plan(case: Case) -> list[Hit]:
    ws = case.worker_safety
    if not ws.flags or _worker_safety_concern(case) or (ws.visit_plan or "").strip():
        return []  # a concern about workers with no plan is already the gap above
    # Which flags stays in the restricted section: findings reach wider audiences.
    return [Hit()]


@_rule("worker_safety.survivor_not_notified")
def _survivor_not_notified(case: Case) -> list[Hit]:
    ws = case.worker_safety
    planning_contact = _worker_safety_concern(case) or (ws.visit_plan or "").strip()
    if not planning_contact or ws.survivor_notified_before_contact is True:
        return []
    return [Hit()]


# Voice: exact words, especially the children's (domain.md 1.7).


def _quoted_by(case: Case, source: str) -> bool:
    return any(r.source == source and (r.quote or "").strip() for _, r in case.records())


_TALKING_AGE_YEARS = 4


def _children_who_can_be_asked(case: Case) -> list[Person]:
    """Children old enough to be asked, by the latest date in the case (no "today": pure).

    A child with no birth date counts: we do not know that they cannot be asked.
    """
    known_to = max(
        (d.latest or d.earliest for r in _sourced_records(case) if (d := r.date) is not None),
        default=None,
    )
    out = []
    for child in case.children:
        born = dates.parse_or_none(child.birth_date)
        if born is None or known_to is None:
            out.append(child)
        elif known_to.year - born.earliest.year > _TALKING_AGE_YEARS or (
            known_to.year - born.earliest.year == _TALKING_AGE_YEARS
            and (known_to.month, known_to.day) >= (born.earliest.month, born.earliest.day)
        ):
            out.append(child)
    return out


@_rule("voice.no_child_quote")
def _no_child_quote(case: Case) -> list[Hit]:
    # A baby's voice is what a worker observes, not a quote: only children who can be asked.
    children = _children_who_can_be_asked(case)
    if not children or _quoted_by(case, "child"):
        return []
    return [Hit(_ids(children), {"children": _join([c.label for c in children])})]


@_rule("voice.no_survivor_quote")
def _no_survivor_quote(case: Case) -> list[Hit]:
    if not case.people_with_role("survivor") or _quoted_by(case, "survivor"):
        return []
    return [Hit()]


# -- running them ----------------------------------------------------------------------------


def find_gaps(case: Case) -> list[Finding]:
    """Missing information, one finding per place a rule fires, each tied to a critical component.

    Findings come in rule order (component 1 to 5, then plans, worker safety and voice).
    """
    findings = []
    for rule in rules():
        for hit in _CHECKS[rule.id](case):
            findings.append(
                Finding(
                    rule=rule.id,
                    component=rule.component,
                    area=rule.area,
                    severity=rule.severity,
                    message=rule.message.format_map(hit.words),
                    ids=hit.ids,
                    question=rule.question.format_map(hit.words),
                )
            )
    return findings


# -- views the supervisor review and the findings panel use -----------------------------------


def by_component(findings: Iterable[Finding]) -> dict[int | None, list[Finding]]:
    """Findings grouped by component, in the order 1 to 5 then None (across the case).

    Every component is present, with an empty list when nothing was found for it.
    """
    out: dict[int | None, list[Finding]] = {c: [] for c in (*COMPONENTS, None)}
    for f in findings:
        out[f.component].append(f)
    return out


def by_area(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Findings grouped by area, in the order of ``AREAS``; every area present."""
    out: dict[str, list[Finding]] = {a: [] for a in AREAS}
    for f in findings:
        out[f.area].append(f)
    return out


def gaps(findings: Iterable[Finding]) -> list[Finding]:
    """Only the findings of severity ``gap``."""
    return [f for f in findings if f.severity == "gap"]


def components_with_gaps(findings: Iterable[Finding]) -> set[int]:
    """The critical components (1-5) against which at least one gap was found."""
    return {f.component for f in findings if f.severity == "gap" and f.component is not None}


def about(findings: Iterable[Finding], record_or_person_id: str) -> list[Finding]:
    """The findings that concern one record or person (a child's findings, a behaviour's ...)."""
    return [f for f in findings if record_or_person_id in f.ids]


def format_findings(findings: Sequence[Finding]) -> str:
    """Plain-text findings grouped by component (canonical wording), each with its question."""
    n_gaps = len(gaps(findings))
    lines = [f"{_count(n_gaps, 'gap')}, {_count(len(findings) - n_gaps, 'note')}"]
    for component, group in by_component(findings).items():
        title = component_title(component)
        lines += ["", f"{component} · {title}" if component is not None else title]
        if not group:
            lines.append("  no gaps or notes")
        for f in group:
            area = f"{area_title(f.area)}: " if component is None else ""
            lines.append(
                f"  {f.severity.upper() if f.severity == 'gap' else f.severity:<4}  "
                f"{area}{f.message}"
            )
            lines.append(f"        ask: {f.question}")
            if f.ids:
                lines.append(f"        ids: {', '.join(f.ids)}")
    return "\n".join(lines)
