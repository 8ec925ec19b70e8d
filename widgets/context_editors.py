"""Step 6: intersections (component 5) and the restricted worker-safety section."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as ipw

from casemap import taxonomy
from casemap.model import Case, Intersection, Record, SystemResponse, WorkerSafety

from .behaviour_editor import COMMON_TAIL, when_text
from .debounce import Debouncer
from .fields import OptionalBool, describe
from .language_lens import LanguageLens
from .record_editor import AUTOSAVE_DELAY, FieldSpec, RecordEditor, short


class IntersectionEditor(RecordEditor):
    """Substance use, mental health, culture, poverty and other factors, tied to his pattern."""

    noun = "intersection"
    section = "intersections"
    model = Intersection
    prefix = "x"
    css = "cm-intersection-editor"
    specs = (
        FieldSpec(
            "person", "Whose", "person", roles=("perpetrator", "survivor", "child", "other_adult")
        ),
        FieldSpec("factor", "Factor", "choice", taxonomy="intersection_factor"),
        FieldSpec("description", "What is known", "longtext"),
        FieldSpec(
            "perpetrator_link",
            "How his behaviour caused, worsened or used it",
            "longtext",
            placeholder="e.g. 'He withheld the car so she missed her appointments'",
        ),
        FieldSpec("when", "When", "date"),
        *COMMON_TAIL,
    )

    def label(self, record: Intersection, case: Case) -> str:
        person = case.person(record.person)
        who = person.label if person else record.person
        factor = taxonomy.label("intersection_factor", record.factor)
        return f"{who} · {factor} · {short(record.description, 45)}"


class WorkerSafetyRecordEditor(RecordEditor):
    """Threats to workers, or violence outside the family (restricted)."""

    model = Record
    prefix = "w"
    specs = (
        FieldSpec("description", "What he did", "longtext"),
        FieldSpec("when", "When", "date"),
        *COMMON_TAIL,
    )

    def label(self, record: Record, case: Case) -> str:
        return f"{when_text(record)} · {short(record.description, 60)}"


class ThreatsToWorkersEditor(WorkerSafetyRecordEditor):
    noun = "threat to a worker"
    section = "worker_safety.threats_to_workers"
    css = "cm-threats-editor"


class ViolenceOutsideEditor(WorkerSafetyRecordEditor):
    noun = "violence outside the family"
    section = "worker_safety.violence_outside_family"
    css = "cm-outside-violence-editor"


class WorkerSafetyPanel(ipw.VBox):
    """The restricted section: flags, visit plan, survivor notification, and two record lists."""

    def __init__(
        self,
        session,
        *,
        on_change: Callable[[WorkerSafety], str | None],
        on_save,
        on_delete,
        guard=lambda f: f,
        **editor_options,
    ):
        self.session = session
        self.on_change = on_change
        self._loading = False
        self.banner = ipw.HTML(
            "<div class='cm-restricted-banner'><b>Restricted section</b> · worker safety. "
            "Shown to the consultation and supervision only; never in documents for the family, "
            "the court or him.</div>"
        )
        self.flags: dict[str, ipw.ToggleButton] = {}
        for term in taxonomy.terms("worker_safety_flag"):
            b = ipw.ToggleButton(
                description=term.label, tooltip=term.help, layout=ipw.Layout(width="auto")
            )
            b.add_class("cm-flag")
            self.flags[term.id] = b
        self.visit_plan = ipw.Textarea(
            rows=3,
            layout=ipw.Layout(width="100%"),
            placeholder="Before any visit to him: who reviews it, paired visit or "
            "police, phones, when to end the visit",
        )
        self.visit_plan.add_class("cm-visit-plan")
        lens_delay = editor_options.get("lens_delay")
        self.visit_plan_lens = LanguageLens(
            self.visit_plan, guard=guard, **({} if lens_delay is None else {"delay": lens_delay})
        )
        # Typing saves once it pauses, like the record editors.
        self.autosave = Debouncer(
            guard(self._save), editor_options.get("autosave_delay", AUTOSAVE_DELAY)
        )
        self.notified = OptionalBool()
        self.threats = ThreatsToWorkersEditor(
            session, on_save=on_save, on_delete=on_delete, guard=guard, **editor_options
        )
        self.outside = ViolenceOutsideEditor(
            session, on_save=on_save, on_delete=on_delete, guard=guard, **editor_options
        )
        self.status = ipw.HTML()
        body = ipw.VBox(
            [
                self.banner,
                describe("Risk flags"),
                ipw.HBox(list(self.flags.values()), layout=ipw.Layout(flex_flow="row wrap")),
                describe("Visit plan"),
                self.visit_plan,
                self.visit_plan_lens,
                describe("Survivor told before any contact with him"),
                self.notified,
                self.status,
                ipw.HTML("<h4>Threats and tactics aimed at workers</h4>"),
                self.threats,
                ipw.HTML("<h4>Violence or intimidation outside the family</h4>"),
                self.outside,
            ]
        )
        super().__init__([body])
        self.add_class("cm-worker-safety")
        self.add_class("cm-restricted")
        for w in [*self.flags.values(), self.notified]:
            w.observe(guard(self._changed), names="value")
        self.visit_plan.observe(lambda change: self._loading or self.autosave(), names="value")
        session.observe(guard(lambda change: self.refresh()), names="case")
        self.refresh()

    def refresh(self) -> None:
        ws = self.session.case.worker_safety
        self._loading = True
        try:
            for fid, b in self.flags.items():
                b.value = fid in ws.flags
            # Not while typing, and not for a difference in surrounding spaces only: the box
            # must never jump under the consultant's cursor.
            if not self.autosave.pending and self.visit_plan.value.strip() != (ws.visit_plan or ""):
                self.visit_plan.value = ws.visit_plan or ""
            self.notified.value = ws.survivor_notified_before_contact
        finally:
            self._loading = False

    def _changed(self, change: dict) -> None:
        if not self._loading:
            self.autosave.cancel()
            self._save()

    def _save(self) -> None:
        ws = self.session.case.worker_safety
        new = ws.model_copy(
            update={
                "flags": [fid for fid, b in self.flags.items() if b.value],
                "visit_plan": self.visit_plan.value.strip() or None,
                "survivor_notified_before_contact": self.notified.value,
            }
        )
        problem = self.on_change(new)
        self.status.value = (
            f"<span class='cm-invalid'>{html.escape(problem)}</span>" if problem else ""
        )

    def flush(self) -> None:
        self.autosave.flush()
        self.visit_plan_lens.flush()
        self.threats.flush()
        self.outside.flush()


class ResponseEditor(RecordEditor):
    """What police, courts, child welfare and services did: context on the timeline."""

    noun = "system response"
    section = "responses"
    model = SystemResponse
    prefix = "r"
    css = "cm-response-editor"
    specs = (
        FieldSpec("kind", "What kind of response", "choice", taxonomy="response_kind"),
        FieldSpec(
            "description",
            "What happened",
            "longtext",
            placeholder="e.g. 'Police attended after a neighbour called; he was arrested'",
        ),
        FieldSpec("when", "When", "date"),
        *COMMON_TAIL,
    )

    def label(self, record: SystemResponse, case: Case) -> str:
        kind = taxonomy.label("response_kind", record.kind)
        return f"{when_text(record)} · {kind} · {short(record.description, 50)}"
