"""The consultation workbook: builds every view, owns the session, and is the only UI code
that saves.

``ConsultationApp.open_from_url()`` is what ``notebooks/consultation.ipynb`` displays: it reads
``?case=ID`` from Voila's ``QUERY_STRING``, validates it against the id pattern and opens the
case, or shows a calm message and the list of cases.
"""

from __future__ import annotations

import gc
import html
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as ipw
from pydantic import BaseModel

from casemap import store
from casemap.model import ID_PATTERN, Case, CaseInvalid, revalidate, with_record, without_record

from . import shared
from .case_list import CaseList
from .errors import ErrorReporter, log_to_server
from .guidance import STEPS, Step
from .session import Session
from .style import CSS

log = logging.getLogger(__name__)


NOT_APPLIED = "Not saved: something went wrong. What you typed is still in the form."


def _problem_text(error: CaseInvalid) -> str:
    return "; ".join(str(p) for p in error.problems[:3])


def message_html(text: str) -> str:
    return f"<div role='status'>{html.escape(text)}</div>" if text else ""


class ConsultationApp(ipw.VBox):
    """The consultation workbook for one case."""

    def __init__(
        self,
        path: Path | str,
        *,
        lens_delay: float | None = None,
        autosave_delay: float | None = None,
        start: str = "people",
    ):
        self.session = Session(path)
        self.reporter = ErrorReporter(self._show_message)
        self.guard = self.reporter.guard
        self.original_path = Path(path)
        self.editor_options: dict[str, Any] = {}
        if lens_delay is not None:
            self.editor_options["lens_delay"] = lens_delay
        if autosave_delay is not None:
            self.editor_options["autosave_delay"] = autosave_delay
        s = self.session

        # -- always visible: heading, save state, undo, messages, missing information --------
        self.heading = shared.html("", "cm-case-heading")
        self.save_state = ipw.HTML()  # own style and layout: its class changes with the state
        self.save_state.add_class("cm-save-state")
        self.undo_button = ipw.Button(
            description="Undo",
            icon="undo",
            disabled=True,
            tooltip="Undo the last change (it is saved as a new revision)",
            layout=shared.AUTO,
            style=shared.BUTTON_STYLE,
        )
        self.undo_button.add_class("cm-undo")
        self.training_banner = shared.TrainingBanner()
        header = ipw.HBox(
            [self.heading, self.save_state, self.undo_button],
            layout=ipw.Layout(justify_content="space-between"),
        )
        header.add_class("cm-header")

        self.message = ipw.HTML(layout=ipw.Layout(flex="1"))  # own layout: it fills the row
        self.message.add_class("cm-message")
        self.dismiss_button = ipw.Button(
            description="OK",
            layout=ipw.Layout(width="auto", flex="0 0 auto"),
            style=shared.BUTTON_STYLE,
        )
        self.dismiss_button.add_class("cm-dismiss")
        self.message_box = ipw.HBox(
            [self.message, self.dismiss_button],
            layout=ipw.Layout(display="none", align_items="center", gap="8px"),
        )
        self.message_box.add_class("cm-message-box")

        self.reload_button = ipw.Button(
            description="Reload theirs", icon="refresh", layout=ipw.Layout(width="auto")
        )
        self.reload_button.add_class("cm-reload-theirs")
        self.keep_button = ipw.Button(
            description="Keep mine as a copy",
            button_style="primary",
            layout=ipw.Layout(width="auto"),
        )
        self.keep_button.add_class("cm-keep-mine")
        self.conflict_box = ipw.HBox(
            [self.reload_button, self.keep_button], layout=ipw.Layout(display="none", gap="8px")
        )
        self.conflict_box.add_class("cm-conflict")

        from .findings_panel import FindingsPanel

        self.findings = FindingsPanel(s, guard=self.guard)
        side = ipw.VBox([self.findings])
        side.add_class("cm-side")

        # -- the steps: built the first time they are shown ---------------------------------
        self.steps: dict[str, Step] = {step.key: step for step in STEPS}
        self.step_views: dict[str, ipw.Widget] = {}
        self.editors: dict[str, Any] = {}
        self.nav_buttons: dict[str, ipw.Button] = {}
        for step in STEPS:
            b = ipw.Button(description=step.title, layout=shared.FULL, style=shared.BUTTON_STYLE)
            b.add_class("cm-step-button")
            b.add_class(f"cm-step-{step.key}")
            b.on_click(self.guard(lambda _, key=step.key: self.show_step(key)))
            self.nav_buttons[step.key] = b
        nav = ipw.VBox(list(self.nav_buttons.values()))
        nav.add_class("cm-nav")
        self.stack = ipw.Stack(
            [shared.html() for _ in STEPS], selected_index=0, layout=ipw.Layout(flex="1")
        )
        self.stack.add_class("cm-steps")
        self.current = ""

        body = ipw.HBox([nav, self.stack, side], layout=ipw.Layout(align_items="flex-start"))
        super().__init__(
            [
                shared.html(CSS),
                self.training_banner,
                header,
                self.message_box,
                self.conflict_box,
                body,
            ]
        )
        self.add_class("cm-app")

        self.undo_button.on_click(self.guard(lambda _: self.undo()))
        self.dismiss_button.on_click(self.guard(lambda _: setattr(s, "message", "")))
        self.reload_button.on_click(self.guard(lambda _: self.reload_theirs()))
        self.keep_button.on_click(self.guard(lambda _: self.keep_mine()))
        s.observe(self.guard(self._show_case), names="case")
        s.observe(self.guard(self._show_save_state), names=["save_state", "conflict"])
        s.observe(
            self.guard(lambda c: setattr(self.undo_button, "disabled", not c["new"])),
            names="can_undo",
        )
        s.observe(self.guard(self._show_session_message), names="message")
        s.observe(self.guard(self._show_conflict), names="conflict")
        self._show_case()
        self._show_save_state()
        self.show_step(start)

    # -- opening from a URL -------------------------------------------------------------

    @classmethod
    def open_from_url(cls, query: str | None = None, **options: Any) -> ipw.Widget:
        """The app for ``?case=ID`` (Voila's QUERY_STRING), the first demo case when there is
        none, or a calm message with the list of cases."""
        return open_case_app(lambda path: cls(path, **options), query)

    # -- the steps ----------------------------------------------------------------------

    def show_step(self, key: str) -> ipw.Widget:
        """Show a step (building it the first time); returns its view."""
        index = list(self.steps).index(key)
        if key not in self.step_views:
            view = self._build_step(self.steps[key])
            self.step_views[key] = view
            children = list(self.stack.children)
            children[index] = view
            self.stack.children = children
        self.stack.selected_index = index
        for k, b in self.nav_buttons.items():
            (b.add_class if k == key else b.remove_class)("cm-step-current")
        if self.current in self.editors and self.current != key:
            self._flush(self.current)
        if self.current == "timeline" and key != "timeline":
            self.editors["timeline"].hide()
        self.current = key
        self.findings.show_component(self.steps[key].unfold)
        if key == "timeline":
            self.editors["timeline"].show()
        return self.step_views[key]

    def editor(self, key: str) -> Any:
        """The main view of a step (built if needed), e.g. ``app.editor("pattern")``."""
        if key not in self.editors:
            self.show_step(key)
        return self.editors[key]

    def _callbacks(self) -> dict[str, Any]:
        # After an unexpected error the editor gets a message back, so it keeps the form as
        # typed instead of clearing it as if the record had been saved.
        return {
            "on_save": self.guard(self.save_record, failed=NOT_APPLIED),
            "on_delete": self.guard(self.delete_record, failed=NOT_APPLIED),
            "guard": self.guard,
            **self.editor_options,
        }

    def _editor(self, cls: type, **kwargs: Any) -> Any:
        return cls(self.session, **self._callbacks(), **kwargs)

    def _build_step(self, step: Step) -> ipw.Widget:
        parts: list[ipw.Widget] = [guidance_view(step)]
        key = step.key
        if key == "people":
            from .people_editor import CaseDetails, PeopleEditor

            details = CaseDetails(
                self.session,
                on_change=self.guard(self.update_case, failed=NOT_APPLIED),
                guard=self.guard,
            )
            self.editors["case"] = details
            self.editors[key] = self._editor(PeopleEditor)
            parts += [details, shared.html("<h4>People</h4>"), self.editors[key]]
        elif key in ("pattern", "child_harm"):
            from .behaviour_editor import BehaviourEditor, ChildHarmEditor

            self.editors[key] = self._editor(
                BehaviourEditor if key == "pattern" else ChildHarmEditor
            )
            parts.append(self.editors[key])
        elif key == "efforts":
            from .effort_editor import EffortEditor

            self.editors[key] = self._editor(EffortEditor)
            parts.append(self.editors[key])
        elif key == "impact":
            from .impact_editor import ImpactEditor

            self.editors[key] = self._editor(ImpactEditor)
            parts.append(self.editors[key])
        elif key == "intersections":
            from .context_editors import IntersectionEditor, WorkerSafetyPanel

            self.editors[key] = self._editor(IntersectionEditor)
            self.editors["worker_safety"] = WorkerSafetyPanel(
                self.session,
                on_change=self.guard(self.update_worker_safety, failed=NOT_APPLIED),
                **self._callbacks(),
            )
            parts += [self.editors[key], self.editors["worker_safety"]]
        elif key == "plans":
            from .plan_editors import PerpetratorPlanEditor, StatementEditor, SurvivorPlanEditor

            self.editors[key] = self._editor(StatementEditor)
            self.editors["perpetrator_plan"] = self._editor(PerpetratorPlanEditor)
            self.editors["survivor_plan"] = self._editor(SurvivorPlanEditor)
            his = ipw.VBox(
                [
                    ipw.HTML(
                        "<h4>His plan</h4><p class='cm-help'>What he will stop and "
                        "start doing, and how everyone will see the change.</p>"
                    ),
                    self.editors["perpetrator_plan"],
                ]
            )
            hers = ipw.VBox(
                [
                    ipw.HTML(
                        "<h4>Her plan</h4><p class='cm-help'>Kept separate from his "
                        "and never shared with him. Keep her tasks few.</p>"
                    ),
                    self.editors["survivor_plan"],
                ]
            )
            his.add_class("cm-plan-box")
            hers.add_class("cm-plan-box")
            parts += [
                shared.html("<h4>Harm and danger statements, safety goals</h4>"),
                self.editors[key],
                his,
                hers,
            ]
        elif key == "timeline":
            from .context_editors import ResponseEditor
            from .timeline_view import TimelineView

            self.editors[key] = TimelineView(self.session, guard=self.guard)
            self.editors["responses"] = self._editor(ResponseEditor)
            parts += [
                self.editors[key],
                shared.html("<h4>Police, courts, child welfare and services</h4>"),
                self.editors["responses"],
            ]
        elif key == "summary":
            from .consultation_editor import ConsultationEditor
            from .export_panel import ExportPanel

            self.editors["consultations"] = self._editor(ConsultationEditor)
            self.editors[key] = ExportPanel(self.session, guard=self.guard)
            parts += [
                shared.html(
                    "<h4>This consultation</h4><p class='cm-help'>The worker's questions, "
                    "what was found and the recommendations: they go into the consultation, "
                    "case-record and training summaries, never to either parent.</p>"
                ),
                self.editors["consultations"],
                shared.html("<h4>Summary</h4>"),
                self.editors[key],
            ]
        view = ipw.VBox(parts)
        view.add_class("cm-step")
        view.add_class(f"cm-step-view-{key}")
        return view

    # -- the only code that changes the case ---------------------------------------------

    def save_record(self, section: str, record: BaseModel) -> str | None:
        """Put a record into the case and save. Returns None, or why it was not accepted."""
        try:
            new = with_record(self.session.case, section, record)
        except CaseInvalid as e:
            return f"Not saved yet: {_problem_text(e)}"
        self.session.apply(new, f"{section}: {getattr(record, 'id', '')}")
        return None

    def delete_record(self, record_id: str) -> str | None:
        try:
            new = without_record(self.session.case, record_id)
        except CaseInvalid as e:
            return (
                "Not deleted: other records need it (for example as the person who did "
                f"something). Change or delete those first. ({_problem_text(e)})"
            )
        self.session.apply(new, f"deleted {record_id}")
        return None

    def update_case(self, values: dict[str, Any]) -> str | None:
        try:
            new = revalidate(self.session.case.model_copy(update=values))
        except CaseInvalid as e:
            return f"Not saved yet: {_problem_text(e)}"
        self.session.apply(new, "case details")
        return None

    def update_worker_safety(self, worker_safety: Any) -> str | None:
        return self.update_case({"worker_safety": worker_safety})

    def _flush(self, key: str) -> None:
        view = self.editors.get(key)
        if view is not None and hasattr(view, "flush"):
            view.flush()

    def flush(self) -> None:
        """Run every pending autosave and language check now (tests; before undo)."""
        for key in list(self.editors):
            self._flush(key)

    def undo(self) -> bool:
        self.flush()
        return self.session.undo()

    def reload_theirs(self) -> None:
        self.session.reload_theirs(self.original_path)

    def keep_mine(self) -> None:
        self.session.keep_mine()

    # -- showing state ------------------------------------------------------------------

    def _show_message(self, text: str) -> None:
        self.session.message = text

    def _show_session_message(self, change: Any = None) -> None:
        self.message.value = message_html(self.session.message)
        self.message_box.layout.display = "flex" if self.session.message else "none"

    def _show_conflict(self, change: Any = None) -> None:
        self.conflict_box.layout.display = "flex" if self.session.conflict else "none"

    def _show_case(self, change: Any = None) -> None:
        case: Case = self.session.case
        self.heading.value = (
            f"{html.escape(case.title or 'Untitled case')} "
            f"<span class='cm-help'><code>{html.escape(case.case_id)}</code></span>"
        )
        training = "x_training" in case.extensions
        self.training_banner.show(training)

    def _show_save_state(self, change: Any = None) -> None:
        self.save_state.value = html.escape(self.session.save_state)
        (
            self.save_state.remove_class
            if self.session.save_state.startswith("Saved")
            else self.save_state.add_class
        )("cm-unsaved")

    def __repr__(self) -> str:
        # The notebook's checked output (nbval compares text/plain, cut at 110 characters).
        c = self.session.case
        return (
            f"Case {c.case_id}: {len(c.people)} people ({len(c.children)} children), "
            f"{len(c.behaviours)} behaviours, {len(c.efforts)} efforts, {len(c.impacts)} impacts"
        )

    def summary_line(self) -> str:
        """One line about the open case, for a notebook's checked output."""
        c = self.session.case
        return (
            f"{c.title} · {len(c.people)} people ({len(c.children)} children) · "
            f"{len(c.behaviours)} behaviours · {len(c.efforts)} protective efforts · "
            f"{len(c.impacts)} impacts · {len(self.findings.findings)} missing-information findings"
        )


def guidance_view(step: Step) -> ipw.HTML:
    lines = "".join(f"<p style='margin:2px 0'>{html.escape(g)}</p>" for g in step.guidance)
    prompts = "".join(f"<li>{html.escape(p)}</li>" for p in step.prompts)
    return shared.html(
        f"<div><h3>{html.escape(step.title)}</h3>{lines}"
        f"<div class='cm-prompts'>Questions to ask:<ul>{prompts}</ul></div></div>",
        "cm-guidance",
    )


def first_demo_case() -> Path | None:
    """The first demo case in the casefile folder, else the first case, else None."""
    paths = store.casefile_paths()
    demo = [p for p in paths if p.parent.name == "demo"]
    return (demo or paths or [None])[0]


def _settled(app: ipw.Widget) -> ipw.Widget:
    """The app, with everything built so far moved out of the garbage collector's sight.

    The kernel lives for one page: its start-up objects (libraries, the app) live as long, yet
    every full collection walked them all, 120-200 ms on one add in three on a 1,000-record
    case (profiled). Freezing them leaves collections only the objects made since.
    """
    gc.freeze()
    return app


def open_case_app(build: Callable[[Path], ipw.Widget], query: str | None = None) -> ipw.Widget:
    """One handling of ``?case=ID`` for every workbook: the id is checked against the pattern,
    no id opens the first demo case, an unknown or unreadable case gives a calm message and the
    case list (details in the server log). ``build`` makes the app for a casefile path."""
    log_to_server()
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    values = parse_qs(query).get("case", [])
    if not values:
        path = first_demo_case()
        if path is None:
            return chooser("There are no cases yet. Start one below.")
        return _settled(build(path))
    case_id = values[0]
    if not ID_PATTERN.match(case_id):
        log.warning("refused a case id that does not match the id pattern")
        return chooser("That link does not name a case. Choose one of the cases below.")
    path = store.find_case(case_id)
    if path is None:
        return chooser(
            f"There is no case '{case_id}' here. Choose one of the cases below, "
            "or start a new one."
        )
    try:
        return _settled(build(path))
    except store.CasefileError as e:
        for line in e.lines():
            log.warning("%s", line)
        return chooser(
            f"The case '{case_id}' could not be opened: its file has problems. "
            f"The details are in the server log (or run: casemap check {path.name})."
        )


class StartPage(ipw.VBox):
    """The start page: a message (if any), the cases, and a new-case form."""

    def __init__(self, text: str = "") -> None:
        log_to_server()
        self.message = ipw.HTML(message_html(text))
        self.message.add_class("cm-message")
        reporter = ErrorReporter(lambda t: setattr(self.message, "value", message_html(t)))
        self.cases = CaseList(guard=reporter.guard)
        super().__init__([shared.html(CSS), self.message, self.cases])
        self.add_class("cm-app")
        self.add_class("cm-start")

    def __repr__(self) -> str:
        ids = [p.stem for p in store.casefile_paths()]
        shown = ", ".join(ids[:6]) + (" …" if len(ids) > 6 else "")
        return f"Cases: {len(ids)} ({shown})"


def chooser(text: str) -> StartPage:
    """A calm message and the list of cases (with the new-case controls)."""
    page = StartPage(text)
    page.add_class("cm-chooser")
    return page


Callback = Callable[..., Any]
