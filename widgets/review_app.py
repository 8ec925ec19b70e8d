"""The supervisor's reflective case review: the eight criteria, their evidence, prompts, notes.

``ReviewApp.open_from_url()`` is what ``notebooks/review.ipynb`` displays (``?case=ID``, the
first demo case when there is none). For each criterion the supervisor sees what the record
already shows (``casemap.analysis.review.evidence``), chooses a rating and writes a note; the
prompts of domain.md 1.7 and 5 sit beside them. The review is saved into the case's
``reviews`` through the workbook's :class:`~widgets.session.Session` (atomic, conflict-safe),
automatically a moment after each change and at once with *Save review*; the report is exported
for the case record as HTML, DOCX or PDF.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import ipywidgets as ipw
from pydantic import ValidationError

from casemap import store, taxonomy
from casemap.analysis import review
from casemap.model import Case, Rating, Review, next_id, revalidate
from casemap.render import review_report

from . import shared
from .debounce import Debouncer
from .errors import ErrorReporter, log_to_server
from .export_panel import download_link
from .session import Session
from .style import CSS

AUTOSAVE_DELAY = 1.5
NOT_RATED = "Not rated"

REVIEW_CSS = """
<style>
.cm-review-criterion { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 12px;
  margin: 8px 0; }
.cm-review-criterion h4 { margin: 2px 0 6px 0; }
.cm-evidence { line-height: 1.45; }
.cm-evidence ul { margin: 2px 0 6px 0; padding-left: 18px; }
.cm-suggested { color: #57606a; }
.cm-prompts-panel { background: #f6f8fa; border-left: 4px solid #8c959f; padding: 6px 12px;
  border-radius: 0 6px 6px 0; }
</style>
"""


def evidence_html(ev: review.Evidence) -> str:
    """The evidence for one criterion as escaped HTML: counts, examples, findings, wording."""
    e = html.escape
    counts = ", ".join(f"{v} {e(review.count_label(k))}" for k, v in ev.counts.items())
    parts = [f"<div class='cm-evidence'><div>{counts}</div>"]
    if ev.examples:
        lis = "".join(f"<li><code>{e(x.id)}</code> {e(x.text)}</li>" for x in ev.examples)
        parts.append(f"<div><b>Examples</b><ul>{lis}</ul></div>")
    if ev.gaps:
        lis = "".join(
            f"<li>{e(f.message)} <i class='cm-question'>{e(f.question)}</i></li>" for f in ev.gaps
        )
        parts.append(f"<div><b>Missing information</b><ul>{lis}</ul></div>")
    if ev.language:
        # One line per rule (the phrases found, the records), folded: a weak case can hold
        # dozens of findings, which would bury the rest of the evidence.
        by_rule: dict[str, list[Any]] = {}
        for lf in ev.language:
            by_rule.setdefault(lf.finding.rule, []).append(lf)
        lis = "".join(
            f"<li>{', '.join(dict.fromkeys(f'<q>{e(x.finding.text)}</q>' for x in found))} "
            f"{e(found[0].finding.message)} <span class='cm-help'>"
            f"({', '.join(dict.fromkeys(e(x.record) for x in found))})</span></li>"
            for found in by_rule.values()
        )
        parts.append(
            f"<details class='cm-wording'><summary><b>Wording to reconsider</b> "
            f"({len(ev.language)})</summary><ul>{lis}</ul></details>"
        )
    parts.append(
        f"<div class='cm-suggested'>Suggested from the record: "
        f"<b>{e(review_report.rating_label(ev.suggested))}</b>. {e(ev.reason)}</div></div>"
    )
    return "".join(parts)


def prompts_html(case: Case) -> str:
    """The supervisor prompts, and any wording that can signal worker fear or avoidance."""
    e = html.escape
    parts = ["<div class='cm-prompts-panel'><b>Supervisor prompts</b>"]
    for prompt in review.SUPERVISOR_PROMPTS:
        lis = "".join(f"<li>{e(q)}</li>" for q in prompt.questions)
        parts.append(f"<div><i>{e(prompt.title)}</i><ul>{lis}</ul></div>")
    signs = review.avoidance_signs(case)
    if signs:
        lis = "".join(f"<li><code>{e(x.id)}</code> {e(x.text)}</li>" for x in signs)
        parts.append(
            f"<div><i>Wording that can signal worker fear or avoidance</i><ul>{lis}</ul></div>"
        )
    parts.append("</div>")
    return "".join(parts)


class CriterionEditor(ipw.VBox):
    """One criterion: its heading, the evidence, a rating and a note."""

    def __init__(self, criterion: str):
        self.criterion = criterion
        self.heading = ipw.HTML(f"<h4>{html.escape(review.criterion_label(criterion))}</h4>")
        self.evidence = ipw.HTML()
        options = [(NOT_RATED, "")] + [
            (taxonomy.label("rating", r), r) for r in taxonomy.ids("rating")
        ]
        self.rating = ipw.ToggleButtons(options=options, value="", style={"button_width": "auto"})
        self.rating.add_class("cm-rating")
        self.note = ipw.Textarea(
            placeholder="Note: what the record shows, what to ask or change",
            layout=ipw.Layout(width="100%", height="56px"),
        )
        self.note.add_class("cm-rating-note")
        super().__init__([self.heading, self.evidence, self.rating, self.note])
        self.add_class("cm-review-criterion")
        self.add_class(f"cm-criterion-{criterion}")


class ReviewApp(ipw.VBox):
    """Reflective review of one case against the eight criteria."""

    def __init__(self, path: Path | str, *, autosave_delay: float = AUTOSAVE_DELAY):
        self.session = Session(path)
        self.reporter = ErrorReporter(self._show_message)
        self.guard = self.reporter.guard
        self.heading = ipw.HTML()
        self.heading.add_class("cm-case-heading")
        self.save_state = ipw.HTML()
        self.save_state.add_class("cm-save-state")
        self.training_banner = shared.TrainingBanner()
        self.message = ipw.HTML()
        self.message.add_class("cm-message")

        self.reviewer = ipw.Text(description="Reviewer", placeholder="your role, e.g. Supervisor")
        self.reviewer.add_class("cm-reviewer")
        self.date = ipw.Text(description="Date", value=dt.date.today().isoformat())
        self.date.add_class("cm-review-date")
        self.review_choice = ipw.Dropdown(description="Review", options=[])
        self.review_choice.add_class("cm-review-choice")
        self.suggest_button = ipw.Button(
            description="Fill unrated with suggestions",
            tooltip="Rate every unrated criterion as the record alone suggests; change any of them",
            layout=ipw.Layout(width="auto"),
        )
        self.suggest_button.add_class("cm-use-suggestions")
        self.save_button = ipw.Button(
            description="Save review", button_style="primary", layout=ipw.Layout(width="auto")
        )
        self.save_button.add_class("cm-save-review")

        self.criteria = {c: CriterionEditor(c) for c in review.CRITERIA}
        self.prompts = ipw.HTML()
        self.prompts.add_class("cm-prompts")
        self.reflections = ipw.Textarea(
            placeholder="Reflections: what the case teaches, what to do next",
            layout=ipw.Layout(width="100%", height="90px"),
        )
        self.reflections.add_class("cm-reflections")

        self.export_format = ipw.Dropdown(
            options=[("HTML", "html"), ("Word (DOCX)", "docx"), ("PDF", "pdf")],
            value="html",
            description="Report",
        )
        self.export_format.add_class("cm-review-format")
        self.export_button = ipw.Button(
            description="Prepare report", layout=ipw.Layout(width="auto")
        )
        self.export_button.add_class("cm-review-export")
        self.link = ipw.HTML()
        self.link.add_class("cm-download-box")

        header = ipw.HBox(
            [self.heading, self.save_state], layout=ipw.Layout(justify_content="space-between")
        )
        header.add_class("cm-header")
        controls = ipw.HBox(
            [self.review_choice, self.reviewer, self.date, self.suggest_button, self.save_button],
            layout=ipw.Layout(flex_flow="row wrap", gap="6px"),
        )
        export = ipw.HBox([self.export_format, self.export_button, self.link])
        main = ipw.VBox(
            [*self.criteria.values(), ipw.HTML("<h4>Reflections</h4>"), self.reflections],
            layout=ipw.Layout(flex="1"),
        )
        side = ipw.VBox([self.prompts], layout=ipw.Layout(width="340px", min_width="280px"))
        side.add_class("cm-side")
        super().__init__(
            [
                ipw.HTML(CSS + REVIEW_CSS),
                self.training_banner,
                header,
                self.message,
                controls,
                ipw.HBox([main, side], layout=ipw.Layout(align_items="flex-start", gap="12px")),
                export,
            ]
        )
        self.add_class("cm-app")
        self.add_class("cm-review-app")

        self.review_id = ""
        self._loading = False
        self.autosave = Debouncer(self.guard(self.save), autosave_delay)
        for editor in self.criteria.values():
            editor.rating.observe(self.guard(self._changed), names="value")
            editor.note.observe(self.guard(self._changed), names="value")
        for w in (self.reviewer, self.date, self.reflections):
            w.observe(self.guard(self._changed), names="value")
        self.review_choice.observe(self.guard(self._choose), names="value")
        self.suggest_button.on_click(self.guard(lambda _: self.use_suggestions()))
        self.save_button.on_click(self.guard(lambda _: self.save()))
        self.export_button.on_click(self.guard(lambda _: self.prepare_report()))
        self.session.observe(self.guard(self._show_case), names="case")
        self.session.observe(
            self.guard(
                lambda _: setattr(self.save_state, "value", html.escape(self.session.save_state))
            ),
            names="save_state",
        )
        self.session.observe(self.guard(lambda c: self._show_message(c["new"])), names="message")
        self._show_case()
        self.save_state.value = html.escape(self.session.save_state)
        self._fill_choices()
        self.review_choice.value = self.review_choice.options[0][1]
        self._load(self.review_choice.value)

    @classmethod
    def open_from_url(cls, query: str | None = None, **options: Any) -> ipw.Widget:
        """The review for ``?case=ID``, the first demo case when there is none, or a chooser."""
        from .apps import open_case_app

        log_to_server()
        # The workbook's URL handling (id pattern, missing or broken cases), building this app.
        return open_case_app(lambda path: cls(path, **options), query)

    # -- showing -----------------------------------------------------------------------------

    def _show_message(self, text: str) -> None:
        self.message.value = f"<div role='status'>{html.escape(text)}</div>" if text else ""

    def _show_case(self, change: Any = None) -> None:
        case: Case = self.session.case
        self.heading.value = (
            f"Reflective review · {html.escape(case.title or 'Untitled case')} "
            f"<span class='cm-help'><code>{html.escape(case.case_id)}</code></span>"
        )
        training = "x_training" in case.extensions
        self.training_banner.show(training)
        self.evidence = review.evidence(case)
        for c, editor in self.criteria.items():
            editor.evidence.value = evidence_html(self.evidence[c])
        self.prompts.value = prompts_html(case)

    def _fill_choices(self) -> None:
        reviews = self.session.case.reviews
        new = ("New review", "")
        listed = [
            (f"{rv.id} · {rv.date or 'undated'} · {rv.reviewer or 'no reviewer'}", rv.id)
            for rv in reversed(reviews)
        ]
        self._loading = True
        try:
            current = self.review_choice.value
            self.review_choice.options = [new, *listed]
            if current in {v for _, v in self.review_choice.options}:
                self.review_choice.value = current
        finally:
            self._loading = False

    def _choose(self, change: Any) -> None:
        if self._loading:
            return
        self.autosave.flush()
        self._load(change["new"])

    def _load(self, review_id: str) -> None:
        """Show a saved review in the form, or an empty new one."""
        rv = next((r for r in self.session.case.reviews if r.id == review_id), None)
        self._loading = True
        try:
            self.review_id = review_id
            self.reviewer.value = rv.reviewer if rv else ""
            self.date.value = (rv.date or "") if rv else dt.date.today().isoformat()
            self.reflections.value = rv.reflections if rv else ""
            for c, editor in self.criteria.items():
                rating = rv.ratings.get(c) if rv else None
                editor.rating.value = rating.rating if rating else ""
                editor.note.value = rating.note if rating else ""
        finally:
            self._loading = False

    # -- changing ----------------------------------------------------------------------------

    def _changed(self, change: Any = None) -> None:
        if self._loading:
            return
        self.save_state.value = "Unsaved changes…"
        self.autosave()

    def use_suggestions(self) -> None:
        """Rate every unrated criterion as the evidence suggests (the supervisor can change it)."""
        for c, editor in self.criteria.items():
            if not editor.rating.value:
                editor.rating.value = self.evidence[c].suggested

    def current_review(self, case: Case) -> Review:
        """The review as the form shows it (a new id the first time it is saved)."""
        review_id = self.review_id or next_id(case, "rv")
        ratings = {
            c: Rating(rating=e.rating.value, note=e.note.value)
            for c, e in self.criteria.items()
            if e.rating.value
        }
        return Review(
            id=review_id,
            date=self.date.value.strip() or None,
            reviewer=self.reviewer.value.strip(),
            ratings=ratings,
            reflections=self.reflections.value,
        )

    def save(self) -> bool:
        """Save the review into the case's ``reviews`` (replacing the one with its id)."""
        self.autosave.cancel()
        case = self.session.case
        try:
            rv = self.current_review(case)
        except ValidationError:
            self._show_message(
                "Not saved: the date is not one casemap can read. Write it as 2025-01-10, "
                "2025-01 or 2025 (add ~ when it is approximate)."
            )
            return False
        self._show_message("")
        others = [r for r in case.reviews if r.id != rv.id]
        position = next((i for i, r in enumerate(case.reviews) if r.id == rv.id), len(others))
        reviews = [*others[:position], rv, *others[position:]]
        new_case = revalidate(case.model_copy(update={"reviews": reviews}))
        saved = self.session.apply(new_case, "review saved")
        self.review_id = rv.id
        self._fill_choices()
        self._loading = True
        try:
            self.review_choice.value = rv.id
        finally:
            self._loading = False
        return saved

    def prepare_report(self) -> tuple[str, bytes]:
        """Save, render the review report for the case record, offer it and keep a copy."""
        self.save()
        fmt = self.export_format.value
        case = self.session.case
        data = review_report.render_review_report(case, fmt, self.review_id)
        name = review_report.default_filename(case, fmt)
        store.write_export(name, data)
        self.link.value = download_link(data, name, fmt)
        return name, data

    def __repr__(self) -> str:
        # The notebook's checked output (nbval compares text/plain, cut at 110 characters).
        c = self.session.case
        rated = sum(1 for e in self.criteria.values() if e.rating.value)
        suggested = [e.suggested for e in self.evidence.values()]
        met, partly = suggested.count("met"), suggested.count("partly")
        return (
            f"Review of {c.case_id}: {len(c.reviews)} saved, {rated}/8 rated; the record "
            f"suggests {met} met, {partly} partly, {suggested.count('not_met')} not met"
        )
