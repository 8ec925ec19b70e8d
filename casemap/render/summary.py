"""The consultation summary: one document model, written as HTML, Markdown, DOCX or PDF.

The summary is computed once from an :class:`~casemap.render.audience.AudienceView` into a
render-independent :class:`Summary` (sections of paragraphs, lists, tables and a figure); four
small writers turn it into bytes. Every piece of case text is data: the HTML writer escapes it
through jinja2's autoescaping, the Markdown writer through :func:`escape_markdown`, DOCX stores
it as text runs, and the PDF writer (reportlab) escapes it for reportlab's paragraph markup.

Which parts a document has, and which records they may draw on, is decided by
:func:`~casemap.render.audience.apply_audience` alone: the builder only asks ``view.shows(part)``
and reads ``view.case``. The analysis (missing information, language, escalation) and the
timeline are computed on the already-filtered ``view.case``, so no finding can quote what the
audience may not see. Survivor-confidential records (consultation audience only) appear in one
marked section at the end, never in the body.

The frame follows shared/domain.md: the three principles in their official short wording (1.2),
the five critical components in their canonical wording (1.3), his behaviour named in active,
perpetrator-visible sentences (1.7, 3).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .. import dates, taxonomy
from ..model import Behaviour, Case, Person, PlanItem, Record
from .audience import AudienceView, apply_audience, training_token

FORMATS = ("html", "md", "docx", "pdf")

PRINCIPLES = (
    "Keeping child safe and together with non-offending parent",
    "Partnering with non-offending parent as default position",
    "Intervening with perpetrator to reduce risk and harm to child",
)
COMPONENTS = (
    "Perpetrator's pattern of coercive control",
    "Perpetrator's actions taken to harm the child",
    "Full spectrum of the non-offending parent's efforts to promote the safety and well-being "
    "of the child",
    "Adverse impact of the perpetrator's behavior on the child",
    "Role of substance abuse, mental health, culture and other socio-economic factors",
)
DISCLAIMER = (
    "This document describes a case using the public concepts of the Safe & Together Model. "
    "casemap is not endorsed by, or affiliated with, the Safe & Together Institute."
)
CONFIDENTIAL_MARK = "CONFIDENTIAL"
APPENDIX_TITLE = "Survivor-confidential records"
APPENDIX_WARNING = (
    "SURVIVOR-CONFIDENTIAL. For the consultation only. Do not copy into the case record, a "
    "plan, a court document or anything the father or his family may see."
)

_SCOPE = {
    "consultation": (
        "The full consultation picture for the consultant, worker and supervisor. "
        "Survivor-confidential records are kept apart, in the marked section at the end."
    ),
    "case-record": (
        "For the agency's case file. Survivor-confidential records are not part of this document."
    ),
    "perpetrator": (
        "Sets out the behaviours the agency is concerned about, their impact on the children, "
        "and what is expected of the father."
    ),
    "survivor": (
        "Sets out the mother's plan and the support around it, the father's behaviour and its "
        "impact on the children, and what the agency expects of him."
    ),
    "training": (
        "De-identified teaching material: names are replaced by role labels, dates are shifted "
        "and whereabouts and reference numbers are removed. Not a case record."
    ),
}


# -- the document model -----------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of inline text; ``strong``/``em`` are the only emphasis a summary uses."""

    text: str
    strong: bool = False
    em: bool = False


@dataclass(frozen=True)
class Para:
    runs: tuple[Run, ...]
    style: str = "body"  # body | lead | note | quote | warning
    kind: str = field(default="para", init=False)


@dataclass(frozen=True)
class Bullets:
    items: tuple[tuple[Run, ...], ...]
    numbered: bool = False
    kind: str = field(default="bullets", init=False)


# Relative column widths by header: short columns stay narrow, descriptions get the room.
_NARROW = {
    "When": 11,
    "Due": 11,
    "Status": 15,
    "Purpose": 22,
    "Action": 26,
    "Success looks like": 26,
    "Behaviours": 9,
    "Phase": 12,
    "Role": 9,
    "Label": 11,
    "Category": 12,
    "Kind": 11,
    "Response": 11,
    "Factor": 13,
    "Person": 13,
    "For": 10,
    "Kind of effort": 12,
    "Frequency": 13,
    "Aimed at": 10,
    "Name": 13,
    "Source": 17,
    "Children present": 14,
}


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    kind: str = field(default="table", init=False)

    @property
    def widths(self) -> tuple[int, ...]:
        """Column widths in percent (every format uses a fixed layout: fast and predictable)."""
        weights = [_NARROW.get(h, 30) for h in self.header]
        total = sum(weights)
        return tuple(round(100 * w / total) for w in weights)


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str
    kind: str = field(default="figure", init=False)

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


Block = Para | Bullets | Table | Figure


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    level: int = 2
    mark: str | None = None  # a banner above the section (restricted, confidential)
    anchor: str = ""


@dataclass(frozen=True)
class Summary:
    """Everything a writer needs, already filtered for the audience and free of formatting."""

    audience: str
    audience_label: str
    confidential: bool
    heading: str
    title: str
    scope: str
    facts: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]

    @property
    def marking(self) -> str:
        """The first line of every page and file: confidentiality and audience."""
        mark = f"{CONFIDENTIAL_MARK} · " if self.confidential else ""
        return f"{mark}Audience: {self.audience_label}"


def p(*runs: Run | str, style: str = "body") -> Para:
    return Para(tuple(r if isinstance(r, Run) else Run(r) for r in runs), style)


def items(*texts: Sequence[Run | str]) -> tuple[tuple[Run, ...], ...]:
    return tuple(tuple(r if isinstance(r, Run) else Run(r) for r in t) for t in texts)


# -- text helpers -----------------------------------------------------------------------------

# Characters XML 1.0 cannot hold (DOCX refuses them; HTML shows them as garbage).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean(text: str | None) -> str:
    """Case text made printable: control characters removed, nothing else changed."""
    return _CONTROL.sub("", text or "")


_MONTH = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _point_text(point: dates.Point) -> str:
    d = point.earliest
    if point.precision == "year":
        out = f"{d.year}"
    elif point.precision == "month":
        out = f"{_MONTH[d.month - 1]} {d.year}"
    else:
        out = f"{d.day} {_MONTH[d.month - 1]} {d.year}"
    if point.approximate:
        out = "c. " + out
    if point.uncertain:
        out += " (?)"
    return out


def when_text(when: str | None) -> str:
    """A casefile date in words: "c. Mar 2024", "Jun 2023 – ongoing", "date not known"."""
    if not when:
        return "date not known"
    d = dates.parse(when)
    if d.ongoing:
        return f"{_point_text(d.start)} – ongoing"
    if d.end is not None:
        return f"{_point_text(d.start)} – {_point_text(d.end)}"
    return _point_text(d.start)


def _sort_key(when: str | None) -> tuple[int, dt.date, dt.date]:
    if not when:
        return (1, dt.date.max, dt.date.max)
    return (0, *dates.parse(when).sort_key())


def chronological(records: Iterable[Any], key: str = "when") -> list[Any]:
    return sorted(records, key=lambda r: _sort_key(getattr(r, key)))


def _label(kind: str, term: str | None) -> str:
    return taxonomy.label(kind, term) if term else ""


def _plural(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def _join(words: Sequence[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


class _People:
    """Names as this audience may show them (a de-identified case holds labels as names)."""

    def __init__(self, case: Case):
        self.by_id = {p.id: p for p in case.people}

    def name(self, person_id: str | None) -> str:
        person = self.by_id.get(person_id or "")
        if person is None:
            return "someone not recorded"
        return clean(person.name) or clean(person.label)

    def names(self, ids: Iterable[str]) -> str:
        return _join([self.name(i) for i in ids])

    def first(self, role: str) -> Person | None:
        return next((p for p in self.by_id.values() if p.role == role), None)

    def possessive(self, person: Person | None, fallback: str) -> str:
        if person is None:
            return fallback
        name = self.name(person.id)
        return name + ("'" if name.endswith("s") else "'s")


def _source(r: Record, show_detail: bool = True) -> str:
    out = _label("source", r.source) or "Source not recorded"
    if show_detail and r.source_detail:
        out += f": {clean(r.source_detail)}"
    return f"{out} [{r.id}]"


def _what(r: Record) -> str:
    text = clean(r.description) or "(no description)"
    if r.quote:
        text += f' Exact words: "{clean(r.quote)}"'
    return text


# -- building the summary -------------------------------------------------------------------


def build_summary(
    case: Case, audience: str, *, today: dt.date | None = None, timeline: bool = True
) -> Summary:
    """The summary of ``case`` as ``audience`` may read it (see the module docstring)."""
    view = apply_audience(case, audience)
    return summarise(view, today=today, timeline=timeline)


def summarise(
    view: AudienceView, *, today: dt.date | None = None, timeline: bool = True
) -> Summary:
    """The summary of an audience view: the parts ``view.shows``, drawn from ``view.case``.

    ``timeline=False`` leaves the picture out (tests: it carries no extractable text).
    """
    case = view.case
    people = _People(case)
    him = people.first("perpetrator")
    her = people.first("survivor")
    today = today or dt.date.today()
    sections: list[Section] = [_frame()]
    if view.shows("people"):
        sections.append(_people_section(case))
    if view.shows("pattern"):
        sections += _pattern(case, people, him)
    if view.shows("harm_to_child"):
        sections += _harm_to_child(case, people)
    if view.shows("efforts"):
        sections += _efforts(
            case, people, her, show_missing=view.shows("gaps"), appendix=view.appendix
        )
    if view.shows("impacts"):
        sections += _impacts(case, people)
    if view.shows("intersections"):
        sections += _intersections(case, people)
    if view.shows("responses") and case.responses:
        sections += _responses(case)
    if view.shows("worker_safety"):
        sections += _worker_safety(case)
    if view.shows("gaps"):
        sections += _gaps(case, len(view.appendix))
    if view.shows("language"):
        sections += _language(case)
    if view.shows("statements"):
        sections += _statements(case, people)
    sections += _plans(view, people, him, her)
    if view.shows("consultations") and case.consultations:
        sections += _consultations(case)
    if view.shows("timeline") and timeline:
        sections += _timeline(view)
    if view.appendix:
        sections.append(_appendix(view, people))
    facts = [("Case", case.case_id)]
    if case.jurisdiction:
        facts.append(("Jurisdiction", clean(case.jurisdiction)))
    facts.append(("Prepared", f"{today.day} {_MONTH[today.month - 1]} {today.year}"))
    facts.append(("Revision", str(case.revision)))
    return Summary(
        audience=view.audience,
        audience_label=view.label,
        confidential=view.confidential,
        heading="Case consultation summary",
        title=clean(case.title) or case.case_id,
        scope=_SCOPE[view.audience],
        facts=tuple(facts),
        sections=tuple(sections),
    )


def _frame() -> Section:
    return Section(
        "The frame: three principles and five critical components",
        (
            p(
                "This summary is organised by the Safe & Together Model. Its three principles "
                "frame every decision:"
            ),
            Bullets(items(*[[Run(t, strong=True)] for t in PRINCIPLES]), numbered=True),
            p("What is known is set out under the five critical components:"),
            Bullets(items(*[[t] for t in COMPONENTS]), numbered=True),
        ),
        anchor="frame",
    )


def _people_section(case: Case) -> Section:
    rows = []
    deidentified = all(clean(pp.name) in ("", clean(pp.label)) for pp in case.people)
    for person in case.people:
        row = [clean(person.label)]
        if not deidentified:
            row.append(clean(person.name))
        row += [_label("role", person.role), clean(person.relationship)]
        if person.birth_date:
            row[-1] = (row[-1] + f" (born {when_text(person.birth_date)})").strip()
        rows.append(tuple(row))
    header = (
        ("Label", "Name", "Role", "Relationship")
        if not deidentified
        else ("Label", "Role", "Relationship")
    )
    blocks: list[Block] = (
        [Table(header, tuple(rows))] if rows else [p("No people are recorded yet.", style="note")]
    )
    return Section("People", tuple(blocks), anchor="people")


def _component_heading(n: int) -> str:
    return f"{n}. {COMPONENTS[n - 1]}"


def _pattern(case: Case, people: _People, him: Person | None) -> list[Section]:
    behaviours = chronological(case.behaviours)
    his = people.possessive(him, "His")
    blocks: list[Block] = []
    if not behaviours:
        blocks.append(p("No behaviour of his is recorded yet.", style="note"))
        return [Section(_component_heading(1), tuple(blocks), anchor="component-1")]
    span = _span([b.when for b in behaviours])
    categories = Counter(b.category for b in behaviours)
    blocks.append(
        p(
            Run(f"{his} pattern: ", strong=True),
            f"{_plural(len(behaviours), 'behaviour')} recorded in "
            f"{_plural(len(categories), 'category', 'categories')}{span}.",
            style="lead",
        )
    )
    reading = _escalation_reading(case)
    if reading:
        blocks.append(p(Run("Escalation: ", strong=True), clean(reading)))
    by_cat: dict[str, list[Behaviour]] = defaultdict(list)
    for b in behaviours:
        by_cat[b.category].append(b)
    rows = []
    for category, group in sorted(by_cat.items(), key=lambda kv: -len(kv[1])):
        freq = Counter(_label("frequency", b.frequency) for b in group)
        phases = Counter(_label("phase", b.phase) for b in group)
        present = {c for b in group for c in b.children_present}
        rows.append(
            (
                _label("behaviour_category", category),
                str(len(group)),
                ", ".join(f"{k.lower()} {v}" for k, v in freq.most_common()),
                ", ".join(f"{k.lower()} {v}" for k, v in phases.most_common()),
                people.names(sorted(present)) or "none recorded",
            )
        )
    blocks.append(
        Table(("Category", "Behaviours", "Frequency", "Phase", "Children present"), tuple(rows))
    )
    sources = Counter(_label("source", b.source) or "Not recorded" for b in behaviours)
    blocks.append(
        p(
            Run("Sources: ", strong=True),
            "; ".join(f"{k} {v}" for k, v in sources.most_common()) + ".",
        )
    )
    blocks.append(
        Table(
            ("When", "What he did", "Category", "Phase", "Aimed at", "Source"),
            tuple(
                (
                    when_text(b.when),
                    _what(b),
                    _label("behaviour_category", b.category),
                    _label("phase", b.phase),
                    people.names(b.targets) or "not recorded",
                    _source(b),
                )
                for b in behaviours
            ),
        )
    )
    return [Section(_component_heading(1), tuple(blocks), anchor="component-1")]


def _span(whens: Iterable[str | None]) -> str:
    """ ", from c. 2014 to Jan 2024" (or "to now" when something is ongoing); "" if undated."""
    dated = [dates.parse(w) for w in whens if w]
    if not dated:
        return ""
    first = min(dated, key=lambda d: d.sort_key()).start
    if any(d.ongoing for d in dated):
        return f", from {_point_text(first)} to now (ongoing)"
    last = max(dated, key=lambda d: d.latest or dt.date.max)
    return f", from {_point_text(first)} to {_point_text(last.end or last.start)}"


def _escalation_reading(case: Case) -> str:
    try:
        from ..analysis.pattern import escalation
    except ImportError:  # pragma: no cover - the analysis lands with issue 3
        return ""
    return escalation(case).reading


def _child_directed(b: Behaviour, child_id: str) -> bool:
    if child_id in b.targets:
        return True
    return b.category in taxonomy.CHILD_DIRECTED_CATEGORIES and (
        child_id in b.children_present or not any(t for t in b.targets)
    )


def _harm_to_child(case: Case, people: _People) -> list[Section]:
    blocks: list[Block] = [
        p(
            "His choices as a parent: behaviour aimed at each child, and behaviour that uses, "
            "neglects or turns the children against their mother."
        )
    ]
    if not case.children:
        blocks.append(p("No child is recorded yet.", style="note"))
    out = [Section(_component_heading(2), tuple(blocks), anchor="component-2")]
    for child in case.children:
        name = people.name(child.id)
        aimed = chronological(b for b in case.behaviours if _child_directed(b, child.id))
        present = [b for b in case.behaviours if child.id in b.children_present and b not in aimed]
        sub: list[Block] = []
        if aimed:
            sub.append(
                Bullets(
                    items(
                        *[
                            [
                                Run(f"{when_text(b.when)}: ", strong=True),
                                f"{_what(b)} ({_label('behaviour_category', b.category)}; "
                                f"{_source(b)})",
                            ]
                            for b in aimed
                        ]
                    )
                )
            )
        else:
            sub.append(p(f"No behaviour aimed at {name} is recorded yet.", style="note"))
        if present:
            sub.append(
                p(
                    f"{name} was also present for, heard or knew of "
                    f"{_plural(len(present), 'other behaviour')} of his toward others."
                )
            )
        out.append(Section(f"{name}", tuple(sub), level=3))
    return out


_EFFORT_IDS = frozenset(taxonomy.ids("effort_category"))


def _efforts(
    case: Case,
    people: _People,
    her: Person | None,
    *,
    show_missing: bool = False,
    appendix: Sequence[tuple[str, Record]] = (),
) -> list[Section]:
    hers = people.possessive(her, "Her")
    blocks: list[Block] = []
    efforts = chronological(case.efforts)
    if not efforts:
        blocks.append(p("No protective effort is recorded yet.", style="note"))
        return [Section(_component_heading(3), tuple(blocks), anchor="component-3")]
    blocks.append(
        p(
            Run(f"{hers} efforts: ", strong=True),
            f"{_plural(len(efforts), 'effort')} to keep the children safe and well, recorded "
            f"under his control and after it.",
            style="lead",
        )
    )
    by_cat: dict[str, list[Any]] = defaultdict(list)
    for e in efforts:
        by_cat[e.category].append(e)
    rows = []
    for term in taxonomy.terms("effort_category"):
        for e in by_cat.get(term.id, []):
            rows.append(
                (
                    term.label,
                    when_text(e.when),
                    _what(e),
                    people.names(e.children) or "the children",
                    _source(e),
                )
            )
    blocks.append(Table(("Kind of effort", "When", "What she did", "For", "Source"), tuple(rows)))
    if show_missing:
        # Categories only in the marked confidential section are recorded, just not here.
        recorded = set(by_cat) | {
            r.category for _, r in appendix if getattr(r, "category", None) in _EFFORT_IDS
        }
        missing = [
            t.label
            for t in taxonomy.terms("effort_category")
            if t.id not in recorded and t.id != "other"
        ]
        if missing:
            blocks.append(
                p(
                    Run("No effort recorded yet of these kinds: ", strong=True),
                    "; ".join(missing) + ".",
                    style="note",
                )
            )
    return [Section(_component_heading(3), tuple(blocks), anchor="component-3")]


def _impacts(case: Case, people: _People) -> list[Section]:
    behaviours = {b.id: b for b in case.behaviours}
    out = [
        Section(
            _component_heading(4),
            (
                p(
                    "For each child: what his behaviour has done, written as "
                    "“his behaviour → the child's experience”."
                ),
            ),
            anchor="component-4",
        )
    ]
    for child in case.children:
        name = people.name(child.id)
        impacts = chronological(i for i in case.impacts if i.child == child.id)
        sub: list[Block] = []
        if not impacts:
            sub.append(p(f"No impact on {name} is recorded yet.", style="note"))
        rows = []
        for i in impacts:
            causes = [behaviours[c] for c in i.caused_by if c in behaviours]
            his = (
                "; ".join(_short(b) for b in causes)
                if causes
                else "not linked to a behaviour in this document"
            )
            rows.append(
                (
                    his,
                    f"→ {_label('impact_domain', i.domain)}: {_what(i)}",
                    when_text(i.when),
                    _source(i),
                )
            )
        if rows:
            sub.append(
                Table(("His behaviour", f"→ {name}'s experience", "When", "Source"), tuple(rows))
            )
        out.append(Section(name, tuple(sub), level=3))
    if not case.children:
        out[0] = Section(
            out[0].title,
            out[0].blocks + (p("No child is recorded yet.", style="note"),),
            anchor="component-4",
        )
    return out


def _short(b: Behaviour, words: int = 14) -> str:
    """A behaviour in one line for a cross-reference: its first words, category, date, id."""
    text = clean(b.description).split()
    head = " ".join(text[:words]) + ("…" if len(text) > words else "")
    category = _label("behaviour_category", b.category)
    return f"{head} ({category}, {when_text(b.when)}) [{b.id}]"


def _intersections(case: Case, people: _People) -> list[Section]:
    rows = tuple(
        (
            people.name(n.person),
            _label("intersection_factor", n.factor),
            _what(n),
            clean(n.perpetrator_link) or "not recorded yet",
            _source(n),
        )
        for n in case.intersections
    )
    blocks: list[Block] = [
        p("Context, never an excuse: how his behaviour caused, worsened or used each factor.")
    ]
    if rows:
        blocks.append(
            Table(
                ("Person", "Factor", "What is known", "How his behaviour bears on it", "Source"),
                rows,
            )
        )
    else:
        blocks.append(p("No intersection is recorded yet.", style="note"))
    return [Section(_component_heading(5), tuple(blocks), anchor="component-5")]


def _responses(case: Case) -> list[Section]:
    rows = tuple(
        (when_text(r.when), _label("response_kind", r.kind), _what(r), _source(r))
        for r in chronological(case.responses)
    )
    return [
        Section(
            "System responses",
            (Table(("When", "Response", "What happened", "Source"), rows),),
            anchor="responses",
        )
    ]


def _worker_safety(case: Case) -> list[Section]:
    ws = case.worker_safety
    blocks: list[Block] = []
    if ws.flags:
        blocks.append(
            p(
                Run("Flags: ", strong=True),
                "; ".join(_label("worker_safety_flag", f) for f in ws.flags) + ".",
            )
        )
    for title, records in (
        ("Threats and tactics aimed at workers", ws.threats_to_workers),
        ("Violence outside the family", ws.violence_outside_family),
    ):
        if records:
            blocks.append(p(Run(title, strong=True)))
            blocks.append(
                Table(
                    ("When", "What he did", "Source"),
                    tuple(
                        (when_text(r.when), _what(r), _source(r)) for r in chronological(records)
                    ),
                )
            )
    blocks.append(p(Run("Visit plan: ", strong=True), clean(ws.visit_plan) or "none recorded yet."))
    told = {True: "yes", False: "no", None: "not recorded"}[ws.survivor_notified_before_contact]
    blocks.append(p(Run("Survivor told before any contact with him: ", strong=True), told + "."))
    return [
        Section(
            "Worker safety",
            tuple(blocks),
            mark="RESTRICTED: worker safety. Not for family- or court-facing documents.",
            anchor="worker-safety",
        )
    ]


def _gaps(case: Case, set_apart: int = 0) -> list[Section]:
    from ..analysis.gaps import component_title, find_gaps

    findings = find_gaps(case)
    blocks: list[Block] = []
    if not findings:
        blocks.append(p("No missing information found by the checks.", style="note"))
    by_component: dict[int | None, list[Any]] = defaultdict(list)
    for f in findings:
        by_component[f.component].append(f)
    order = sorted(by_component, key=lambda c: (c is None, c or 0))
    for component in order:
        title = component_title(component)
        if component is not None:
            title = f"{component}. {title}"
        blocks.append(p(Run(title, strong=True)))
        blocks.append(
            Bullets(
                items(
                    *[
                        [
                            Run("Gap: " if f.severity == "gap" else "Note: ", strong=True),
                            clean(f.message) + " ",
                            Run("Ask: ", em=True),
                            Run(clean(f.question), em=True),
                        ]
                        for f in by_component[component]
                    ]
                )
            )
        )
    lead = p(
        f"{_plural(len(findings), 'finding')}: what the model needs that the file does not "
        "show yet, and the question to ask next.",
        style="lead",
    )
    if set_apart:
        blocks.append(
            p(
                f"The checks read this document's body only: the "
                f"{_plural(set_apart, 'survivor-confidential record')} in the marked section "
                "at the end may answer some of them.",
                style="note",
            )
        )
    return [Section("What we do not know yet", (lead, *blocks), anchor="gaps")]


LANGUAGE_EXAMPLES = 8


def _language(case: Case) -> list[Section]:
    try:
        from ..analysis.language import lint_case
    except ImportError:  # pragma: no cover - lands with issue 2
        return []
    findings = list(lint_case(case))
    blocks: list[Block] = []
    if not findings:
        blocks.append(
            p("No phrasing that hides his responsibility or blames her was found.", style="note")
        )
    else:
        blocks.append(
            p(
                f"{_plural(len(findings), 'phrasing')} that can hide his violence or "
                f"responsibility, hide her resistance or blame her. "
                + (f"The first {LANGUAGE_EXAMPLES}:" if len(findings) > LANGUAGE_EXAMPLES else ""),
                style="lead",
            )
        )
        blocks.append(Bullets(items(*[_language_item(f) for f in findings[:LANGUAGE_EXAMPLES]])))
    return [Section("Language", tuple(blocks), anchor="language")]


def _language_item(f: Any) -> list[Run | str]:
    from ..analysis.language import OPERATIONS

    finding = f.finding
    out: list[Run | str] = [
        Run(f"“{clean(finding.text)}”", strong=True),
        f" [{f.record}, {f.field}] ({OPERATIONS.get(finding.operation, finding.operation)}): "
        f"{clean(finding.message)}",
    ]
    if finding.suggestion:
        out += [" ", Run("Instead: ", em=True), Run(clean(finding.suggestion), em=True)]
    return out


def _statements(case: Case, people: _People) -> list[Section]:
    blocks: list[Block] = []
    for kind in taxonomy.terms("statement_kind"):
        group = [s for s in case.statements if s.kind == kind.id]
        if not group:
            continue
        blocks.append(p(Run(kind.label + "s", strong=True)))
        blocks.append(
            Bullets(
                items(*[[_what(s), Run(" " + _statement_note(s, people), em=True)] for s in group])
            )
        )
    if not blocks:
        blocks.append(p("No harm or danger statement is written yet.", style="note"))
    return [Section("Harm and danger statements", tuple(blocks), anchor="statements")]


def _statement_note(s: Record, people: _People) -> str:
    about = getattr(s, "about", None)
    parts = [f"about {people.name(about)}"] if about else []
    if s.source or s.source_detail:
        parts.append(_source(s))
    return f"({'; '.join(parts)})" if parts else ""


def _plan_table(items_: Sequence[PlanItem]) -> Block:
    if not items_:
        return p("No item in this plan yet.", style="note")
    return Table(
        ("What", "Action", "Purpose", "Success looks like", "Due", "Status"),
        tuple(
            (
                _what(i) + (f" ({_source(i)})" if i.source or i.source_detail else ""),
                clean(i.action),
                clean(i.purpose),
                clean(i.success_indicator),
                when_text(i.due) if i.due else "",
                _label("plan_status", i.status),
            )
            for i in items_
        ),
    )


def _plans(
    view: AudienceView, people: _People, him: Person | None, her: Person | None
) -> list[Section]:
    out = []
    if view.shows("plan_survivor"):
        out.append(
            Section(
                f"{people.possessive(her, 'The mother')} plan",
                (
                    p(
                        "Her own plan, separate from his: the support around her and the "
                        "children. It asks nothing of her that only he can change.",
                        style="note",
                    ),
                    _plan_table(view.case.plans.survivor),
                ),
                anchor="plan-survivor",
            )
        )
    if view.shows("plan_perpetrator"):
        out.append(
            Section(
                f"{people.possessive(him, 'The father')} plan",
                (
                    p(
                        "What is expected of him: each item has a purpose and an observable "
                        "sign of changed behaviour, not attendance alone.",
                        style="note",
                    ),
                    _plan_table(view.case.plans.perpetrator),
                ),
                anchor="plan-perpetrator",
            )
        )
    return out


def _consultations(case: Case) -> list[Section]:
    out = [Section("Consultation notes and recommendations", (), anchor="consultations")]
    for c in chronological(case.consultations, key="date"):
        blocks: list[Block] = []
        who = clean(c.consultant)
        if c.participants:
            who += ("; " if who else "") + "with " + _join([clean(x) for x in c.participants])
        if who:
            blocks.append(p(who, style="note"))
        if c.questions:
            blocks.append(p(Run("Questions brought", strong=True)))
            blocks.append(Bullets(items(*[[clean(q)] for q in c.questions])))
        if c.notes:
            blocks.append(p(Run("Notes", strong=True)))
            blocks.append(p(clean(c.notes)))
        if c.recommendations:
            blocks.append(p(Run("Recommendations", strong=True)))
            blocks.append(Bullets(items(*[[clean(r)] for r in c.recommendations]), numbered=True))
        out.append(Section(f"Consultation, {when_text(c.date)}", tuple(blocks), level=3))
    return out


def _timeline(view: AudienceView) -> list[Section]:
    png = timeline_png(view)
    return [
        Section(
            "Timeline",
            (
                Figure(
                    png,
                    "His behaviours, her protective efforts, the impact on the children and "
                    "system responses over time.",
                ),
            ),
            anchor="timeline",
        )
    ]


SUMMARY_DPI = 110


def timeline_png(view: AudienceView) -> bytes:
    """The timeline of an audience's view as PNG bytes: its body only, under its marking."""
    from .timeline import TimelineOptions, draw_timeline, to_bytes  # matplotlib: only when drawn

    fig = draw_timeline(view, TimelineOptions(audience=view.audience))
    # 110 dpi: the figure is drawn for an A3 wall, so on an A4 page this is still ~250 dpi,
    # and a quarter of the pixels of 200 dpi (profiled: PNG encoding and the PDF writer's image
    # re-encoding were 7 of the 35 s of a 1,000-record summary).
    return to_bytes(fig, "png", dpi=SUMMARY_DPI)


_SECTION_NAMES = {
    "behaviours": "His behaviour",
    "efforts": "Her protective effort",
    "impacts": "Impact on a child",
    "intersections": "Intersection",
    "responses": "System response",
    "statements": "Statement",
    "plans.survivor": "Her plan",
    "plans.perpetrator": "His plan",
    "worker_safety.threats_to_workers": "Threat to workers",
    "worker_safety.violence_outside_family": "Violence outside the family",
}


def _appendix(view: AudienceView, people: _People) -> Section:
    rows = []
    for section, r in sorted(view.appendix, key=lambda sr: _sort_key(sr[1].when)):
        what = _what(r)
        if isinstance(r, PlanItem):
            what += " " + " ".join(
                x for x in (clean(r.action), clean(r.purpose), clean(r.success_indicator)) if x
            )
        rows.append((_SECTION_NAMES.get(section, section), when_text(r.when), what, _source(r)))
    return Section(
        APPENDIX_TITLE,
        (Table(("Kind", "When", "What", "Source"), tuple(rows)),),
        mark=APPENDIX_WARNING,
        anchor="confidential",
    )


# -- writers ----------------------------------------------------------------------------------


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("casemap.render", ""),
        autoescape=True,  # every piece of case text is data (style.md, casefile-format.md)
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def stylesheet() -> str:
    return resources.files("casemap.render").joinpath("summary.css").read_text("utf-8")


def write_html(summary: Summary) -> str:
    """One self-contained HTML file: inline CSS (with a print stylesheet) and inline image."""
    page_css = f"@page {{ @top-center {{ content: {css_string(summary.marking)}; }} }}"
    return (
        _environment()
        .get_template("summary.html.j2")
        .render(s=summary, css=stylesheet(), page_css=page_css, disclaimer=DISCLAIMER)
    )


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string or the ``<style>`` element."""
    return (
        '"' + "".join(c if c.isalnum() or c in " .,:;·-'" else f"\\{ord(c):x} " for c in text) + '"'
    )


# Characters that are Markdown syntax anywhere in a line (CommonMark inline syntax, tables).
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|&~])")
# ... and the ones that are syntax only where a line starts (headings, lists, quotes, rules).
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def escape_markdown(text: str) -> str:
    """Case text as literal Markdown: every character that could be syntax is escaped.

    Line breaks become spaces so that text can never start a heading, list or table row; a
    leading ``#``, ``-``, ``>`` or ``1.`` is escaped in case the text starts a line.
    """
    out = _MD_INLINE.sub(r"\\\1", re.sub(r"\s+", " ", clean(text)))
    return _MD_LINE_START.sub(
        lambda m: f"{m[1]}\\{m[2]}" if not m[2].isdigit() else f"{m[1]}{m[2]}\\", out
    )


def _md_runs(runs: Iterable[Run]) -> str:
    out = []
    for r in runs:
        text = escape_markdown(r.text)
        if not text.strip():
            out.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        core = text.strip()
        if r.strong:
            core = f"**{core}**"
        if r.em:
            core = f"*{core}*"
        out.append(lead + core + trail)
    return "".join(out)


def write_markdown(summary: Summary) -> str:
    lines = [
        f"**{escape_markdown(summary.marking)}**",
        "",
        f"# {escape_markdown(summary.heading)}: {escape_markdown(summary.title)}",
        "",
        f"**Audience:** {escape_markdown(summary.audience_label)}",
        "",
    ]
    if summary.confidential:
        lines += [f"**{CONFIDENTIAL_MARK}**", ""]
    lines += [escape_markdown(summary.scope), ""]
    lines += [f"- **{escape_markdown(k)}:** {escape_markdown(v)}" for k, v in summary.facts]
    lines += ["", f"*{escape_markdown(DISCLAIMER)}*", ""]
    for section in summary.sections:
        if section.mark:
            lines += [f"> **{escape_markdown(section.mark)}**", ""]
        lines += [f"{'#' * section.level} {escape_markdown(section.title)}", ""]
        for block in section.blocks:
            lines += _md_block(block) + [""]
    return "\n".join(lines).rstrip() + "\n"


def _md_block(block: Block) -> list[str]:
    if isinstance(block, Para):
        text = _md_runs(block.runs)
        if block.style == "warning":
            return [f"> **{text}**"]
        plain = not any(r.strong or r.em for r in block.runs)
        if block.style in ("note", "quote") and plain:
            return [f"*{text}*"]
        return [text]
    if isinstance(block, Bullets):
        return [
            (f"{n}. " if block.numbered else "- ") + _md_runs(item)
            for n, item in enumerate(block.items, 1)
        ]
    if isinstance(block, Table):
        out = [
            "| " + " | ".join(escape_markdown(h) for h in block.header) + " |",
            "|" + "---|" * len(block.header),
        ]
        out += ["| " + " | ".join(escape_markdown(c) for c in row) + " |" for row in block.rows]
        return out
    if isinstance(block, Figure):
        # Markdown stays one file: the image is inline, as in the HTML.
        return [f"![{escape_markdown(block.caption)}]({block.data_uri})"]
    raise TypeError(block)


def render_summary(case: Case, audience: str, fmt: str, *, today: dt.date | None = None) -> bytes:
    """The summary of ``case`` for ``audience`` as a file's bytes in format ``fmt``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}': expected one of {', '.join(FORMATS)}")
    return write(build_summary(case, audience, today=today), fmt)


def write(summary: Summary, fmt: str) -> bytes:
    """The bytes of an already-built summary in format ``fmt``."""
    if fmt == "html":
        return write_html(summary).encode("utf-8")
    if fmt == "md":
        return write_markdown(summary).encode("utf-8")
    if fmt == "docx":
        from .docx import write_docx

        return write_docx(summary)
    if fmt == "pdf":
        from .pdf import write_pdf

        return write_pdf(summary)
    raise ValueError(f"unknown format '{fmt}': expected one of {', '.join(FORMATS)}")


def suffix(fmt: str) -> str:
    """The file-name suffix of a format (``.md`` for Markdown)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}': expected one of {', '.join(FORMATS)}")
    return f".{fmt}"


def default_filename(case: Case, audience: str, fmt: str, *, today: dt.date | None = None) -> str:
    """``<case_id>-<audience>-<date>.<fmt>``: never a name (case ids are opaque tokens)."""
    day = (today or dt.date.today()).isoformat()
    case_id = case.case_id
    if audience == "training":
        case_id = f"training-{training_token(case.case_id)}"
    return f"{case_id}-{audience}-{day}{suffix(fmt)}"
