"""Trainer presentation mode: step through a demo or training case in date order.

``PresentApp.open_from_url()`` is what ``notebooks/present.ipynb`` displays (``?case=ID``, the
first demo case when there is none). Each step shows one record, the timeline built up to its
date, and discussion questions from the model (shared/domain.md 1.3, 1.7): what is his pattern,
what is she doing to protect the children, how is each child affected, what is missing. The
last step gathers the missing information. *Previous*/*Next* and the arrow keys move between
steps.

The *Mask names* switch (on by default: a room of trainees is not the case's audience) replaces
every name and alias on screen by the person's role label and removes whereabouts, through the
audience module's own replacers, and draws the timeline with ``mask_names``. The presentation
uses the case-record audience: survivor-confidential records are never projected.

Arrow keys: ipywidgets has no key events, and an ``HTML`` widget's ``<script>`` is never run
(it is set as innerHTML). A notebook *output* is different: Voila renders outputs as trusted,
so a ``text/html`` output's script runs once when the page loads. :data:`KEYS_SCRIPT` is such an
output; it only clicks the Previous/Next buttons, so every step still goes through Python.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as ipw

from casemap import store, taxonomy
from casemap.analysis import gaps, review
from casemap.model import Case, Record, new_case
from casemap.render.audience import apply_audience, known_places, name_replacer, scrub_whereabouts
from casemap.render.timeline import TimelineOptions, draw_timeline, to_bytes

from . import shared
from .errors import ErrorReporter, log_to_server
from .style import CSS

PRESENT_CSS = """
<style>
.cm-present { max-width: 1400px; }
.cm-present-bar { align-items: center; gap: 10px; margin: 6px 0; }
.cm-present-count { font-size: 15px; color: #57606a; min-width: 120px; }
.cm-present-record .widget-html-content > div { font-size: 19px; line-height: 1.45;
  border-left: 5px solid #0969da; padding: 6px 14px; background: #f6f8fa; }
.cm-present-record .cm-kind { font-size: 14px; color: #57606a; text-transform: uppercase;
  letter-spacing: 0.04em; }
.cm-present-questions .widget-html-content > div { font-size: 17px; line-height: 1.5; }
.cm-present-questions li { margin: 4px 0; }
</style>
"""

# Clicks the app's buttons on arrow keys; typing in a field is left alone.
KEYS_SCRIPT = """<script>
(function () {
  if (window.casemapPresentKeys) { return; }
  window.casemapPresentKeys = true;
  document.addEventListener("keydown", function (event) {
    var target = event.target || {};
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName || "") || target.isContentEditable) {
      return;
    }
    var which = {ArrowRight: ".cm-present-next", ArrowLeft: ".cm-present-prev"}[event.key];
    var button = which && document.querySelector("button" + which);
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });
})();
</script>"""

SECTION_KIND = {
    "behaviours": ("His behaviour", "behaviour_category", "category"),
    "efforts": ("Her protective effort", "effort_category", "category"),
    "impacts": ("Impact on a child", "impact_domain", "domain"),
    "intersections": ("Intersection", "intersection_factor", "factor"),
    "responses": ("System response", "response_kind", "kind"),
    "statements": ("Statement", "statement_kind", "kind"),
}
SECTION_COMPONENT = {"behaviours": 1, "efforts": 3, "impacts": 4, "intersections": 5}
MISSING_PER_STEP = 2


NOT_PRESENTABLE = (
    "Case {case_id} is a live case, so it is not presented: names and details of real people "
    "must not reach a room of trainees. Present a demo case, or make a training copy first "
    "(casemap deidentify PATH -o OUT) and present that."
)


def html_message(text: str) -> str:
    return f"<div role='status'>{html.escape(text)}</div>"


def is_presentable(path: Path, case: Case) -> bool:
    """Only demo cases (in a ``demo`` folder) and de-identified training copies are presented."""
    return path.parent.name == "demo" or "x_training" in case.extensions


@dataclass(frozen=True)
class Step:
    """One step of the presentation: a record (None for the opening and the closing step)."""

    section: str | None
    record: Record | None


def steps_of(case: Case) -> list[Step]:
    """The opening step, every dated record in date order, and the closing step."""
    dated = [
        (section, r)
        for section, r in case.records()
        if section in SECTION_KIND and r.date is not None
    ]
    order = list(SECTION_KIND)
    dated.sort(key=lambda sr: (sr[1].date.sort_key(), order.index(sr[0])))
    return [Step(None, None), *(Step(s, r) for s, r in dated), Step(None, None)]


def _join(words: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return (
        words[0]
        if len(words) == 1
        else ", ".join(words[:-1]) + " and " + words[-1]
        if words
        else ""
    )


def questions(case: Case, step: Step, findings: list[gaps.Finding]) -> list[str]:
    """Discussion questions for a step, in the model's terms (domain.md 1.3, 1.7)."""
    r = step.record
    labels = {p.id: p.label for p in case.people}
    out: list[str] = []
    if step.section == "behaviours":
        out.append("What is his pattern? How does this fit with what he did before?")
        children = [
            c
            for c in (*r.targets, *r.children_present)
            if c in labels and case.person(c).role == "child"
        ]
        if children or review.is_child_directed(case, r):
            names = _join(list(dict.fromkeys(labels[c] for c in children))) or "each child"
            out.append(f"How is {names} affected by this choice of his as a parent?")
        out.append("Who caused the harm we are worried about?")
    elif step.section == "efforts":
        out.append("What is she doing to protect the children and keep their lives going?")
        out.append("What did he do that made this harder for her?")
    elif step.section == "impacts":
        out.append(
            f"How is {labels.get(r.child, 'this child')} affected? "
            "Which of his behaviours caused this?"
        )
    elif step.section == "intersections":
        out.append("How did his behaviour cause, worsen or use this?")
    elif step.section == "responses":
        out.append("Did this response hold him to account, or put the work on her?")
    elif step.section == "statements":
        out.append("Does this describe his behaviour, in plain words the family would use?")
    component = SECTION_COMPONENT.get(step.section or "")
    if step.section == "behaviours" and review.is_child_directed(case, r):
        component = 2
    related = [f.question for f in findings if f.component == component]
    out.append("What is missing?" + (f" {related[0]}" if related else ""))
    return out


class PresentApp(ipw.VBox):
    """A case presented step by step, with discussion questions and a name mask."""

    def __init__(self, path: Path | str, *, mask: bool = True, draw: bool = True):
        full = store.load(path)
        self.presentable = is_presentable(Path(path), full)
        if not self.presentable:
            # A live case is never projected to a room: show how to make a training copy.
            full = new_case(full.case_id, "")
        # The case-record audience drops x_ keys, so the training marker is read before it.
        self.training = "x_training" in full.extensions
        self.case = apply_audience(full, "case-record").case
        self.draw = draw
        self.steps = steps_of(self.case)
        self.findings = gaps.find_gaps(self.case)
        self._names = name_replacer(self.case.people)
        self._places = known_places(self.case)
        self._images: dict[tuple[int, bool], bytes] = {}
        self.message = ipw.HTML()
        self.message.add_class("cm-message")
        self.reporter = ErrorReporter(
            lambda text: setattr(self.message, "value", html_message(text))
        )
        self.guard = self.reporter.guard
        self.heading = ipw.HTML()
        self.heading.add_class("cm-case-heading")
        self.training_banner = shared.TrainingBanner()
        self.prev_button = ipw.Button(description="Previous", icon="arrow-left")
        self.prev_button.add_class("cm-present-prev")
        self.next_button = ipw.Button(
            description="Next", icon="arrow-right", button_style="primary"
        )
        self.next_button.add_class("cm-present-next")
        self.mask = ipw.ToggleButton(
            value=mask,
            description="Mask names",
            icon="user-secret",
            tooltip="Show role labels instead of names, everywhere on screen",
        )
        self.mask.add_class("cm-present-mask")
        self.counter = ipw.HTML()
        self.counter.add_class("cm-present-count")
        self.record = ipw.HTML()
        self.record.add_class("cm-present-record")
        self.discussion = ipw.HTML()
        self.discussion.add_class("cm-present-questions")
        self.timeline = ipw.Image(format="png", layout=ipw.Layout(width="100%"))
        self.timeline.add_class("cm-present-timeline")
        bar = ipw.HBox([self.prev_button, self.next_button, self.counter, self.mask])
        bar.add_class("cm-present-bar")
        super().__init__(
            [
                ipw.HTML(CSS + PRESENT_CSS),
                self.training_banner,
                self.heading,
                bar,
                self.message,
                self.record,
                self.discussion,
                self.timeline,
            ]
        )
        self.add_class("cm-app")
        self.add_class("cm-present")
        self.index = 0
        if not self.presentable:
            self.children = [self.children[0], self.heading, self.message]
            self.heading.value = "Presentation"
            self.message.value = html_message(NOT_PRESENTABLE.format(case_id=self.case.case_id))
            return
        self.prev_button.on_click(self.guard(lambda _: self.go(self.index - 1)))
        self.next_button.on_click(self.guard(lambda _: self.go(self.index + 1)))
        self.mask.observe(self.guard(lambda _: self.show()), names="value")
        self.show()

    @classmethod
    def open_from_url(cls, query: str | None = None, **options: Any) -> ipw.Widget:
        """The presentation of ``?case=ID`` (the first demo case when there is none), with the
        arrow-key script as a page output."""
        from IPython.display import HTML, display

        from .apps import open_case_app

        log_to_server()
        display(HTML(KEYS_SCRIPT))
        # The workbook's URL handling (id pattern, missing or broken cases), building this app.
        return open_case_app(lambda path: cls(path, **options), query)

    # -- text on screen ------------------------------------------------------------------------

    def text(self, value: str | None) -> str:
        """Case text as shown: names and whereabouts masked when the switch is on; escaped."""
        value = value or ""
        if self.mask.value:
            value = scrub_whereabouts(self._names(value), self._places)
        return html.escape(value)

    def person_words(self, person_id: str) -> str:
        p = self.case.person(person_id)
        if p is None:
            return ""
        if self.mask.value or not p.name.strip():
            return html.escape(p.label)
        return f"{html.escape(p.name)} ({html.escape(p.label)})"

    # -- moving --------------------------------------------------------------------------------

    def go(self, index: int) -> None:
        self.index = max(0, min(index, len(self.steps) - 1))
        self.show()

    def show(self) -> None:
        step = self.steps[self.index]
        last = len(self.steps) - 1
        self.prev_button.disabled = self.index == 0
        self.next_button.disabled = self.index == last
        self.counter.value = f"Step {self.index + 1} of {len(self.steps)}"
        training = self.training
        self.training_banner.show(training)
        self.heading.value = f"{self.text(self.case.title) or 'Case'} · presentation"
        if self.index == 0:
            self._show_opening()
        elif self.index == last:
            self._show_closing()
        else:
            self._show_record(step)
        self._show_timeline(step)

    def _questions_html(self, items: list[str]) -> str:
        lis = "".join(f"<li>{html.escape(q)}</li>" for q in items)
        return f"<div><b>For discussion</b><ul>{lis}</ul></div>"

    def _show_opening(self) -> None:
        people = "".join(
            f"<li>{self.person_words(p.id)}: {html.escape(taxonomy.label('role', p.role))}"
            f"{(' · ' + self.text(p.relationship)) if p.relationship else ''}</li>"
            for p in self.case.people
        )
        dated = len(self.steps) - 2
        self.record.value = (
            f"<div><span class='cm-kind'>The family</span><ul>{people}</ul>"
            f"{dated} dated records follow, in date order. Use Next or the → key.</div>"
        )
        self.discussion.value = self._questions_html(
            [
                "What are we worried about, and whose behaviour is it?",
                "What do we expect to learn about his pattern, her protective efforts and "
                "each child?",
            ]
        )

    def _show_record(self, step: Step) -> None:
        r = step.record
        kind, taxonomy_kind, attr = SECTION_KIND[step.section]
        category = taxonomy.label(taxonomy_kind, getattr(r, attr))
        who = ""
        if step.section == "impacts":
            who = f" · {self.person_words(r.child)}"
        quote = f"<div>“{self.text(r.quote)}”</div>" if r.quote else ""
        source = f" · source: {html.escape(taxonomy.label('source', r.source))}" if r.source else ""
        self.record.value = (
            f"<div><span class='cm-kind'>{html.escape(r.when or '')} · {html.escape(kind)}: "
            f"{html.escape(category)}{who}{source}</span><div>{self.text(r.description)}</div>"
            f"{quote}</div>"
        )
        self.discussion.value = self._questions_html(questions(self.case, step, self.findings))

    def _show_closing(self) -> None:
        gaps_ = [f for f in self.findings if f.severity == "gap"]
        lis = "".join(
            f"<li>{html.escape(f.message)} <i>{html.escape(f.question)}</i></li>" for f in gaps_
        )
        undated = sum(1 for s, r in self.case.records() if s in SECTION_KIND and r.date is None)
        self.record.value = (
            "<div><span class='cm-kind'>What is missing?</span>"
            f"<ul>{lis or '<li>No open gap in the record.</li>'}</ul>"
            f"{undated} records have no date and are not on the timeline.</div>"
        )
        self.discussion.value = self._questions_html(
            [
                "Who caused the harm we are worried about?",
                "Whose voice is missing: hers, each child's, his account of himself?",
                "What would we ask next, and of whom?",
            ]
        )

    def _show_timeline(self, step: Step) -> None:
        if not self.draw:
            return
        if self.index == 0:
            self.timeline.layout.display = "none"
            return
        self.timeline.layout.display = None
        key = (self.index, self.mask.value)
        if key not in self._images:
            # Up to the first day this record may have started: an interval or an approximate
            # date would otherwise let later steps' records onto the picture early.
            upto = step.record.date.earliest.isoformat() if step.record is not None else None
            fig = draw_timeline(
                self.case,
                TimelineOptions(upto=upto, mask_names=self.mask.value, audience="case-record"),
            )
            self._images[key] = to_bytes(fig, "png")
        self.timeline.value = self._images[key]

    def __repr__(self) -> str:
        # The notebook's checked output (nbval compares text/plain, cut at 110 characters).
        if not self.presentable:
            return f"Presentation refused: {self.case.case_id} is a live case"
        return (
            f"Presentation of {self.case.case_id}: {len(self.steps)} steps, "
            f"names {'masked' if self.mask.value else 'shown'}"
        )
