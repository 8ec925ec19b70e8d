"""The reflective case review as a document: HTML, DOCX or PDF, for the case record.

A review is internal supervision work that belongs in the agency's case file, so the report is
written for the ``case-record`` audience: :func:`~casemap.render.audience.apply_audience` has
already left every survivor-confidential record out before the evidence is gathered, so no
example or finding can quote one. The report is built as the summary's document model
(:class:`~casemap.render.summary.Summary`) and written by the summary's writers, so escaping,
the confidentiality marking, DOCX and the HTML-to-PDF path are the same code for both.
"""

from __future__ import annotations

import datetime as dt

from .. import taxonomy
from ..analysis import review
from ..model import Case, Review
from . import summary as doc
from .audience import apply_audience
from .summary import Bullets, Run, Section, Summary, Table, clean, items, p

FORMATS = ("html", "docx", "pdf")
AUDIENCE = "case-record"
HEADING = "Reflective case review"
SCOPE = (
    "A supervisor's reflective review of this case against the eight review criteria: "
    "partnership with the survivor, intervention with the perpetrator, keeping the child safe "
    "and together with the non-offending parent, and clear documentation of the five critical "
    "components. The evidence under each criterion was gathered from the record automatically; "
    "the rating is the supervisor's. Survivor-confidential records are not part of this document."
)
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def rating_label(rating: str | None) -> str:
    return taxonomy.label("rating", rating) if rating else "Not rated"


def find_review(case: Case, review_id: str | None = None) -> Review | None:
    """The review with ``review_id``, else the latest; None when the case has none."""
    if review_id is None:
        return review.latest_review(case)
    for rv in case.reviews:
        if rv.id == review_id:
            return rv
    raise ValueError(f"no review '{review_id}' in this case")


def _criterion_section(ev: review.Evidence, rv: Review | None) -> Section:
    rating = rv.ratings.get(ev.criterion) if rv else None
    blocks: list = [
        p("Rating: ", Run(rating_label(rating.rating if rating else None), strong=True)),
    ]
    if rating and rating.note.strip():
        blocks.append(p(clean(rating.note), style="quote"))
    blocks.append(
        p(
            f"Suggested from the record: {rating_label(ev.suggested)}. {ev.reason}",
            style="note",
        )
    )
    rows = tuple((review.count_label(k), str(v)) for k, v in ev.counts.items())
    blocks.append(Table(("What the record holds", "Number"), rows))
    if ev.examples:
        blocks.append(p(Run("Examples from the record", strong=True)))
        blocks.append(Bullets(items(*[[f"{x.id}: ", clean(x.text)] for x in ev.examples])))
    if ev.gaps:
        blocks.append(p(Run("Missing information", strong=True)))
        blocks.append(
            Bullets(items(*[[f.message, " ", Run(f.question, em=True)] for f in ev.gaps]))
        )
    if ev.language:
        # One line per rule, with the phrases found and the records that hold them.
        blocks.append(p(Run(f"Wording to reconsider ({len(ev.language)})", strong=True)))
        by_rule: dict[str, list] = {}
        for lf in ev.language:
            by_rule.setdefault(lf.finding.rule, []).append(lf)
        lines = []
        for found in by_rule.values():
            f = found[0].finding
            phrases = ", ".join(dict.fromkeys(f"“{clean(x.finding.text)}”" for x in found))
            records = ", ".join(dict.fromkeys(x.record for x in found))
            better = f" Try: {f.suggestion}" if f.suggestion else ""
            lines.append([Run(phrases, em=True), f" {f.message}{better} ({records})"])
        blocks.append(Bullets(items(*lines)))
    return Section(ev.label, tuple(blocks), anchor=f"criterion-{ev.criterion}")


def _overview(evidence: dict[str, review.Evidence], rv: Review | None) -> Section:
    rows = []
    for c, ev in evidence.items():
        rating = rv.ratings.get(c) if rv else None
        rows.append(
            (ev.label, rating_label(rating.rating if rating else None), rating_label(ev.suggested))
        )
    blocks: list = []
    if rv is None:
        blocks.append(p("No review has been saved for this case yet.", style="note"))
    blocks.append(
        Table(("Criterion", "Supervisor's rating", "Suggested from the record"), tuple(rows))
    )
    return Section("The eight criteria at a glance", tuple(blocks), anchor="overview")


def _prompts(case: Case) -> Section:
    blocks: list = []
    for prompt in review.SUPERVISOR_PROMPTS:
        blocks.append(p(Run(prompt.title, strong=True)))
        blocks.append(Bullets(items(*[[q] for q in prompt.questions])))
    signs = review.avoidance_signs(case)
    if signs:
        blocks.append(
            p(Run("Wording in the record that can signal worker fear or avoidance", strong=True))
        )
        blocks.append(Bullets(items(*[[f"{x.id}: ", clean(x.text)] for x in signs])))
    return Section("Supervisor prompts", tuple(blocks), anchor="prompts")


def build_review_report(
    case: Case, review_id: str | None = None, *, today: dt.date | None = None
) -> Summary:
    """The review report of ``case`` (its latest review unless ``review_id`` names one)."""
    view = apply_audience(case, AUDIENCE)
    c = view.case
    rv = find_review(c, review_id)
    evidence = review.evidence(c)
    sections = [_overview(evidence, rv)]
    sections += [_criterion_section(ev, rv) for ev in evidence.values()]
    sections.append(_prompts(c))
    reflections = clean(rv.reflections) if rv else ""
    sections.append(
        Section(
            "Reflections",
            (p(reflections) if reflections.strip() else p("None recorded.", style="note"),),
            anchor="reflections",
        )
    )
    today = today or dt.date.today()
    facts = [("Case", c.case_id)]
    if rv is not None:
        facts += [("Review", rv.id), ("Review date", rv.date or "not recorded")]
        if rv.reviewer.strip():
            facts.append(("Reviewer", clean(rv.reviewer)))
    facts += [
        ("Prepared", f"{today.day} {_MONTHS[today.month - 1]} {today.year}"),
        ("Revision", str(c.revision)),
    ]
    return Summary(
        audience=view.audience,
        audience_label=view.label,
        confidential=view.confidential,
        heading=HEADING,
        title=clean(c.title) or c.case_id,
        scope=SCOPE,
        facts=tuple(facts),
        sections=tuple(sections),
    )


def render_review_report(
    case: Case, fmt: str, review_id: str | None = None, *, today: dt.date | None = None
) -> bytes:
    """The review report as a file's bytes in ``fmt`` (html, docx or pdf)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}': expected one of {', '.join(FORMATS)}")
    return doc.write(build_review_report(case, review_id, today=today), fmt)


def default_filename(case: Case, fmt: str, *, today: dt.date | None = None) -> str:
    """``<case_id>-review-<date>.<fmt>``: never a name (case ids are opaque tokens)."""
    return f"{case.case_id}-review-{(today or dt.date.today()).isoformat()}{doc.suffix(fmt)}"
