"""Practice across a caseload: the review criteria, missing information and wording, in counts.

Supervisors and managers use the critical components to see practice across many cases, and to
expose what is missing (shared/sources/004, point 8; shared/domain.md 1.3). :func:`summarise`
reads every case of a folder once and returns only numbers and case ids: never a name, a
description or any other case text, so the result can be shown in a team meeting or written to
a spreadsheet. A casefile that does not load is listed with where its problems are, and skipped.

This module does not read files: the caller hands it the folder's listings
(``casemap.store.list_cases``), keeping the disk behind the store.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from casemap.model import Case

from . import gaps, language, review

TOP_FINDINGS = 10


class Listing(Protocol):
    """One casefile of a folder: the case, or the error that kept it from loading."""

    path: Path
    case: Case | None
    error: Any


@dataclass(frozen=True)
class Skipped:
    """A casefile that did not load: its file name and where its problems are (no case text)."""

    file: str
    problem: str


@dataclass(frozen=True)
class CriterionShare:
    """How many cases meet one criterion, from the latest review or the automatic evidence."""

    criterion: str
    met: int
    partly: int
    not_met: int
    not_applicable: int
    from_review: int

    @property
    def applicable(self) -> int:
        return self.met + self.partly + self.not_met

    @property
    def share_met(self) -> float | None:
        """Met as a share of the cases it applies to; None when it applies to none."""
        return self.met / self.applicable if self.applicable else None


@dataclass(frozen=True)
class FindingCount:
    """A missing-information rule and the number of cases in which it fires."""

    rule: str
    component: int | None
    cases: int
    message: str  # the rule's text with its placeholders, never filled with case text


@dataclass(frozen=True)
class Caseload:
    """A caseload in numbers and case ids only."""

    case_ids: tuple[str, ...]
    criteria: tuple[CriterionShare, ...]
    top_findings: tuple[FindingCount, ...]
    words: int
    language_findings: int
    without_perpetrator_plan: tuple[str, ...]
    flags_without_visit_plan: tuple[str, ...]
    skipped: tuple[Skipped, ...] = field(default=())

    @property
    def cases(self) -> int:
        return len(self.case_ids)

    @property
    def language_per_1000_words(self) -> float | None:
        """Wording findings per 1,000 words of case text; None when there is no text."""
        return 1000 * self.language_findings / self.words if self.words else None


def _where(error: Any) -> str:
    """Where a casefile's problems are, without quoting any value from the file."""
    problems = list(getattr(error, "problems", []) or [])
    if not problems:
        return "could not be read"
    first = problems[0]
    # A problem at the top of the file (not JSON, not UTF-8, no such file) says nothing of the
    # case; any other message may quote a value, so only its location is given.
    head = first.message if not first.path else f"problem at {first.path}"
    more = len(problems) - 1
    return head + (f" (+{more} more)" if more else "")


@dataclass(frozen=True)
class CaseFigures:
    """One case's contribution to the caseload: numbers, rule ids and its case id only.

    Small and picklable, so a caller may compute it in worker processes (``casemap caseload``
    does, one casefile per task) and hand the results to :func:`combine`.
    """

    case_id: str
    ratings: tuple[tuple[str, str], ...]  # (criterion, rating) for every criterion
    from_review: frozenset[str]
    rules: frozenset[str]
    wording_findings: int
    words: int
    without_perpetrator_plan: bool
    flags_without_visit_plan: bool


def figures(case: Case) -> CaseFigures:
    """What one case adds to the caseload (the analysis; no case text kept)."""
    found = gaps.find_gaps(case)
    wording_found = language.lint_case(case)
    latest = review.latest_review(case)
    rated = {c: r.rating for c, r in latest.ratings.items()} if latest else {}
    suggested = {}
    if any(c not in rated for c in review.CRITERIA):
        ev = review.evidence(case, found, wording_found)
        suggested = {c: e.suggested for c, e in ev.items()}
    ws = case.worker_safety
    return CaseFigures(
        case_id=case.case_id,
        ratings=tuple((c, rated.get(c) or suggested[c]) for c in review.CRITERIA),
        from_review=frozenset(rated),
        rules=frozenset(f.rule for f in found),
        wording_findings=len(wording_found),
        words=language.word_count(case),
        without_perpetrator_plan=not case.plans.perpetrator,
        flags_without_visit_plan=bool(ws.flags) and not (ws.visit_plan or "").strip(),
    )


def skipped(path: Path | str, error: Any) -> Skipped:
    """A casefile that did not load, by file name and where its problems are."""
    return Skipped(Path(path).name, _where(error))


def combine(items: Iterable[CaseFigures | Skipped]) -> Caseload:
    """The caseload from each case's figures (and the files that did not load), in order."""
    case_ids: list[str] = []
    tallies = {c: Counter() for c in review.CRITERIA}
    from_review = Counter()
    fired: Counter[str] = Counter()
    words = findings_total = 0
    no_plan: list[str] = []
    flagged: list[str] = []
    skipped_: list[Skipped] = []
    for item in items:
        if isinstance(item, Skipped):
            skipped_.append(item)
            continue
        case_ids.append(item.case_id)
        fired.update(item.rules)
        for c, rating in item.ratings:
            tallies[c][rating] += 1
            from_review[c] += c in item.from_review
        findings_total += item.wording_findings
        words += item.words
        if item.without_perpetrator_plan:
            no_plan.append(item.case_id)
        if item.flags_without_visit_plan:
            flagged.append(item.case_id)
    rules = {r.id: r for r in gaps.rules()}
    top = sorted(fired.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_FINDINGS]
    return Caseload(
        case_ids=tuple(case_ids),
        criteria=tuple(
            CriterionShare(
                c,
                met=tallies[c]["met"],
                partly=tallies[c]["partly"],
                not_met=tallies[c]["not_met"],
                not_applicable=tallies[c]["not_applicable"],
                from_review=from_review[c],
            )
            for c in review.CRITERIA
        ),
        top_findings=tuple(
            FindingCount(rule, rules[rule].component, n, rules[rule].message) for rule, n in top
        ),
        words=words,
        language_findings=findings_total,
        without_perpetrator_plan=tuple(no_plan),
        flags_without_visit_plan=tuple(flagged),
        skipped=tuple(skipped_),
    )


def summarise(listings: Iterable[Listing]) -> Caseload:
    """The caseload of a folder's listings, in numbers and case ids."""
    return combine(
        figures(item.case) if item.case is not None else skipped(item.path, item.error)
        for item in listings
    )


def as_dict(caseload: Caseload) -> dict[str, Any]:
    """The JSON shape of ``casemap caseload --json``."""
    per_1000 = caseload.language_per_1000_words
    return {
        "cases": caseload.cases,
        "case_ids": list(caseload.case_ids),
        "criteria": [
            {**asdict(c), "share_met": None if c.share_met is None else round(c.share_met, 4)}
            for c in caseload.criteria
        ],
        "top_findings": [asdict(f) for f in caseload.top_findings],
        "words": caseload.words,
        "language_findings": caseload.language_findings,
        "language_per_1000_words": None if per_1000 is None else round(per_1000, 2),
        "without_perpetrator_plan": list(caseload.without_perpetrator_plan),
        "flags_without_visit_plan": list(caseload.flags_without_visit_plan),
        "skipped": [asdict(s) for s in caseload.skipped],
    }


def to_json(caseload: Caseload) -> str:
    return json.dumps(as_dict(caseload), indent=2, ensure_ascii=False)


def to_csv(caseload: Caseload) -> str:
    """One row per figure: ``section, item, value`` (a spreadsheet-friendly long table)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "item", "value"])
    w.writerow(["caseload", "cases", caseload.cases])
    w.writerow(["caseload", "skipped", len(caseload.skipped)])
    for c in caseload.criteria:
        share = "" if c.share_met is None else f"{c.share_met:.4f}"
        w.writerow(["share_met", c.criterion, share])
        for rating in ("met", "partly", "not_met", "not_applicable", "from_review"):
            w.writerow([f"criterion_{rating}", c.criterion, getattr(c, rating)])
    for f in caseload.top_findings:
        w.writerow(["finding_cases", f.rule, f.cases])
    per_1000 = caseload.language_per_1000_words
    w.writerow(["language", "findings", caseload.language_findings])
    w.writerow(["language", "words", caseload.words])
    w.writerow(["language", "per_1000_words", "" if per_1000 is None else f"{per_1000:.2f}"])
    for case_id in caseload.without_perpetrator_plan:
        w.writerow(["without_perpetrator_plan", case_id, 1])
    for case_id in caseload.flags_without_visit_plan:
        w.writerow(["flags_without_visit_plan", case_id, 1])
    for s in caseload.skipped:
        w.writerow(["skipped", s.file, s.problem])
    return out.getvalue()


def format_text(caseload: Caseload) -> str:
    """The plain-text report printed by ``casemap caseload``."""
    lines = [
        f"{caseload.cases} cases"
        + (f", {len(caseload.skipped)} skipped" if caseload.skipped else "")
    ]
    lines += ["", "Review criteria: cases met (latest review, else the automatic evidence)"]
    for c in caseload.criteria:
        share = "-" if c.share_met is None else f"{100 * c.share_met:.0f}%"
        lines.append(
            f"  {share:>4}  {review.criterion_label(c.criterion)}  "
            f"({c.met} met, {c.partly} partly, {c.not_met} not met, "
            f"{c.not_applicable} n/a; {c.from_review} from a review)"
        )
    lines += ["", "Most frequent missing information (cases)"]
    for f in caseload.top_findings:
        lines.append(f"  {f.cases:>5}  {f.rule}")
    per_1000 = caseload.language_per_1000_words
    lines += [
        "",
        f"Wording findings: {caseload.language_findings} in {caseload.words} words"
        + ("" if per_1000 is None else f" ({per_1000:.1f} per 1,000 words)"),
        "",
        f"Cases with no plan for him: {len(caseload.without_perpetrator_plan)}",
    ]
    lines += [f"  {cid}" for cid in caseload.without_perpetrator_plan]
    lines.append(
        "Cases with worker-safety flags and no visit plan: "
        f"{len(caseload.flags_without_visit_plan)}"
    )
    lines += [f"  {cid}" for cid in caseload.flags_without_visit_plan]
    if caseload.skipped:
        lines += ["", "Skipped (not loaded; run casemap validate)"]
        lines += [f"  {s.file}: {s.problem}" for s in caseload.skipped]
    return "\n".join(lines)
