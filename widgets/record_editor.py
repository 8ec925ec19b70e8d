"""The generic record editor: a list of records, a form, Add / New / Delete, autosave on edit.

The six record editors (behaviours, efforts, impacts, intersections, statements, plan items,
people, worker-safety records) are this class plus a table of fields: what to ask, which
taxonomy feeds a dropdown, which people a picker offers. State flows down (the editor observes
``session.case``); changes flow up through ``on_save(section, record)`` and
``on_delete(record_id)``, which return None when applied or a message saying why not.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as ipw
from pydantic import BaseModel, ValidationError

from casemap.model import Case, next_id, problems_from_error

from . import shared
from .debounce import Debouncer
from .fields import (
    DateField,
    OptionalBool,
    PeoplePicker,
    PersonChoice,
    RecordPicker,
    TaxonomyChoice,
    describe,
)
from .language_lens import LanguageLens
from .session import Session

OnSave = Callable[[str, BaseModel], "str | None"]
OnDelete = Callable[[str], "str | None"]
Guard = Callable[[Callable[..., Any]], Callable[..., Any]]

AUTOSAVE_DELAY = 1.0  # seconds after the last keystroke in an existing record
TEXT_KINDS = ("text", "longtext")
LINES = "lines"  # a list of sentences, one per line (commas belong to the sentences)


@dataclass(frozen=True)
class FieldSpec:
    """One question of a form."""

    name: str
    label: str
    kind: str  # text longtext lines date choice person people records flag list optional_bool
    taxonomy: str | None = None
    roles: tuple[str, ...] = ()
    optional: bool = False
    only: tuple[str, ...] | None = None
    lens: bool = True
    placeholder: str = ""
    default: Callable[[Case], Any] | None = None


def first_with_role(*roles: str) -> Callable[[Case], str | None]:
    def pick(case: Case) -> str | None:
        return next((p.id for p in case.people if p.role in roles), None)

    return pick


def records_in(case: Case, section: str) -> list[Any]:
    head, _, tail = section.partition(".")
    value = getattr(case, head)
    return list(getattr(value, tail) if tail else value)


def short(text: str, n: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass
class _Form:
    widgets: dict[str, Any] = field(default_factory=dict)
    lenses: dict[str, LanguageLens] = field(default_factory=dict)


class RecordEditor(ipw.VBox):
    """Records of one section of the case, with a form to add, edit and delete them."""

    noun = "record"
    section = ""
    model: type[BaseModel] = BaseModel
    prefix = "r"
    specs: tuple[FieldSpec, ...] = ()
    css = "cm-record-editor"

    def __init__(
        self,
        session: Session,
        *,
        on_save: OnSave,
        on_delete: OnDelete,
        guard: Guard = lambda f: f,
        lens_delay: float | None = None,
        autosave_delay: float = AUTOSAVE_DELAY,
    ):
        self.session = session
        self.on_save = on_save
        self.on_delete = on_delete
        self.guard = guard
        self.current_id: str | None = None
        self._loading = False

        self.records = ipw.Select(
            options=[], rows=14, layout=shared.FULL, style=shared.CHOICE_STYLE
        )
        self.records.add_class("cm-record-list")
        self.new_button = ipw.Button(
            description=f"New {self.noun}",
            icon="plus",
            layout=shared.AUTO,
            style=shared.BUTTON_STYLE,
        )
        self.new_button.add_class("cm-new")
        self.add_button = ipw.Button(
            description=f"Add {self.noun}",
            button_style="primary",
            icon="check",
            layout=ipw.Layout(width="auto"),
        )
        self.add_button.add_class("cm-add")
        self.delete_button = ipw.Button(
            description=f"Delete this {self.noun}",
            icon="trash",
            layout=ipw.Layout(width="auto", display="none"),
        )
        self.delete_button.add_class("cm-delete")
        self.mode = shared.html("", "cm-form-mode")
        self.status = shared.html("", "cm-form-status")
        self.badge = shared.html("", "cm-confidential-badge")

        self.form = _Form()
        rows = []
        for spec in self.specs:
            w = self._make(spec)
            self.form.widgets[spec.name] = w
            w.add_class(f"cm-field-{spec.name}")
            parts: list[ipw.Widget] = [w] if spec.kind == "flag" else [describe(spec.label), w]
            if spec.kind in (*TEXT_KINDS, LINES) and spec.lens:
                lens = LanguageLens(
                    w, guard=guard, **({} if lens_delay is None else {"delay": lens_delay})
                )
                self.form.lenses[spec.name] = lens
                parts.append(lens)
            if spec.name == "confidential":
                parts.append(self.badge)
            row = ipw.VBox(parts, layout=shared.ROW)
            row.add_class("cm-field")
            rows.append(row)
        self.fields = self.form.widgets

        self.autosave = Debouncer(guard(self._commit_edit), autosave_delay)
        for name, w in self.fields.items():
            w.observe(guard(lambda change, name=name: self._changed(name)), names="value")
        self.records.observe(guard(self._select), names="value")
        self.new_button.on_click(guard(lambda _: self.start_new()))
        self.add_button.on_click(guard(lambda _: self.add()))
        self.delete_button.on_click(guard(lambda _: self.delete()))

        list_box = ipw.VBox(
            [self.records, self.new_button], layout=ipw.Layout(width="38%", min_width="260px")
        )
        list_box.add_class("cm-list-box")
        form_box = ipw.VBox(
            [self.mode, *rows, self.status, ipw.HBox([self.add_button, self.delete_button])],
            layout=ipw.Layout(flex="1", padding="0 0 0 16px"),
        )
        form_box.add_class("cm-form")
        super().__init__([ipw.HBox([list_box, form_box])])
        self.add_class("cm-record-editor")
        self.add_class(self.css)
        session.observe(guard(lambda change: self.refresh()), names="case")
        self.refresh()
        self.start_new()

    # -- building and reading the form ------------------------------------------------------

    def _make(self, spec: FieldSpec) -> Any:
        if spec.kind == "text":
            return ipw.Text(
                placeholder=spec.placeholder, layout=shared.FULL, style=shared.TEXT_STYLE
            )
        if spec.kind == "longtext":
            return ipw.Textarea(
                placeholder=spec.placeholder,
                rows=3,
                layout=shared.FULL,
                style=shared.TEXT_STYLE,
            )
        if spec.kind == LINES:
            return ipw.Textarea(
                placeholder=spec.placeholder or "one per line",
                rows=3,
                layout=shared.FULL,
                style=shared.TEXT_STYLE,
            )
        if spec.kind == "list":
            return ipw.Text(
                placeholder=spec.placeholder or "separate with commas",
                layout=shared.FULL,
                style=shared.TEXT_STYLE,
            )
        if spec.kind == "date":
            return DateField(**({"placeholder": spec.placeholder} if spec.placeholder else {}))
        if spec.kind == "choice":
            assert spec.taxonomy
            return TaxonomyChoice(spec.taxonomy, optional=spec.optional, only=spec.only)
        if spec.kind == "person":
            return PersonChoice(optional=spec.optional)
        if spec.kind == "people":
            return PeoplePicker()
        if spec.kind == "records":
            return RecordPicker()
        if spec.kind == "flag":
            return ipw.Checkbox(
                description=spec.label,
                indent=False,
                layout=shared.PLAIN,
                style=shared.CHECK_STYLE,
            )
        if spec.kind == "optional_bool":
            return OptionalBool()
        raise ValueError(f"unknown field kind {spec.kind}")

    def _field_default(self, name: str) -> Any:
        info = self.model.model_fields.get(name)
        if info is None:
            return None
        if info.default_factory is not None:
            return info.default_factory()
        return None if info.is_required() else info.default

    def _to_widget(self, spec: FieldSpec, value: Any) -> Any:
        if spec.kind in TEXT_KINDS:
            return value or ""
        if spec.kind == "list":
            return ", ".join(value or [])
        if spec.kind == LINES:
            return "\n".join(value or [])
        if spec.kind in ("people", "records"):
            return tuple(value or ())
        if spec.kind == "flag":
            return bool(value)
        return value

    def _from_widget(self, spec: FieldSpec, value: Any) -> Any:
        if spec.kind in TEXT_KINDS:
            value = value.strip()
            return None if not value and self._field_default(spec.name) is None else value
        if spec.kind == "list":
            return [v.strip() for v in value.split(",") if v.strip()]
        if spec.kind == LINES:
            return [v.strip() for v in value.splitlines() if v.strip()]
        if spec.kind in ("people", "records"):
            return list(value)
        return value

    def read(self) -> dict[str, Any]:
        """The form as casefile values."""
        return {s.name: self._from_widget(s, self.fields[s.name].value) for s in self.specs}

    def fill(self, values: dict[str, Any]) -> None:
        self._loading = True
        try:
            for s in self.specs:
                if s.name in values:
                    w = self.fields[s.name]
                    new = self._to_widget(s, values[s.name])
                    if w.value != new:
                        w.value = new
            for lens in self.form.lenses.values():
                lens.debouncer.cancel()
                lens.refresh()
        finally:
            self._loading = False
        self._show_badge()

    def defaults(self, case: Case) -> dict[str, Any]:
        out = {}
        for s in self.specs:
            out[s.name] = s.default(case) if s.default else self._field_default(s.name)
            if s.kind == "choice" and out[s.name] is None and not s.optional:
                out[s.name] = self.fields[s.name].dropdown.options[0][1] or None
        return out

    def build(self, base: BaseModel | None, record_id: str) -> BaseModel:
        """A validated record from the form, keeping fields and ``x_`` keys the form lacks."""
        data = base.model_dump(mode="json", exclude_none=True) if base is not None else {}
        data.update(self.prepare(self.read()))
        data = {k: v for k, v in data.items() if v is not None}
        data["id"] = record_id
        return self.model.model_validate(data)

    def prepare(self, values: dict[str, Any]) -> dict[str, Any]:
        """Hook: adjust form values before validation."""
        return values

    # -- the list -----------------------------------------------------------------------

    def items(self, case: Case) -> list[Any]:
        return [r for r in records_in(case, self.section) if self.shows(r, case)]

    def shows(self, record: Any, case: Case) -> bool:
        return True

    def label(self, record: Any, case: Case) -> str:
        return short(getattr(record, "description", "") or record.id)

    def _list_label(self, record: Any, case: Case) -> str:
        text = self.label(record, case)
        return f"[confidential] {text}" if getattr(record, "confidential", False) else text

    def people_options(self, case: Case, roles: Sequence[str]) -> list[tuple[str, str]]:
        return [(p.label, p.id) for p in case.people if not roles or p.role in roles]

    def refresh(self) -> None:
        """Follow the open case: the list, the people and records offered, the form."""
        case = self.session.case
        self._loading = True
        try:
            for s in self.specs:
                w = self.fields[s.name]
                if s.kind in ("person", "people"):
                    w.set_people(self.people_options(case, s.roles))
                elif s.kind == "records":
                    w.set_records(self.record_options(case, s))
            options = [(self._list_label(r, case), r.id) for r in self.items(case)]
            keep = self.current_id if self.current_id in {rid for _, rid in options} else None
            if [tuple(o) for o in self.records.options] != options:
                self.records.options = options
            if self.records.value != keep:
                self.records.value = keep
        finally:
            self._loading = False
        if self.current_id is not None:
            record = self.find(self.current_id)
            if record is None:
                self.start_new()
            elif not self.autosave.pending and self._differs(record):
                self.fill(self._values_of(record))

    def record_options(self, case: Case, spec: FieldSpec) -> list[tuple[str, str]]:
        return []

    def find(self, record_id: str) -> Any:
        return next(
            (r for r in records_in(self.session.case, self.section) if r.id == record_id), None
        )

    def _values_of(self, record: Any) -> dict[str, Any]:
        return {s.name: getattr(record, s.name, None) for s in self.specs}

    def _differs(self, record: Any) -> bool:
        try:
            return self.build(record, record.id) != record
        except ValidationError:
            return True

    # -- events -------------------------------------------------------------------------

    def _select(self, change: dict) -> None:
        if self._loading or change["new"] is None:
            return
        self.autosave.flush()
        self.edit(change["new"])

    def edit(self, record_id: str) -> None:
        record = self.find(record_id)
        if record is None:
            return
        self.current_id = record_id
        self.fill(self._values_of(record))
        self.mode.value = "<b>Editing</b> <span class='cm-help'>changes are saved as you go</span>"
        self.add_button.layout.display = "none"
        self.delete_button.layout.display = None
        self.status.value = ""
        if self.records.value != record_id:
            self._loading = True
            self.records.value = record_id
            self._loading = False

    def start_new(self) -> None:
        self.autosave.flush()
        self.current_id = None
        self.fill(self.defaults(self.session.case))
        self.mode.value = f"<b>New {html.escape(self.noun)}</b>"
        self.add_button.layout.display = None
        self.delete_button.layout.display = "none"
        self._loading = True
        self.records.value = None
        self._loading = False

    def _changed(self, name: str) -> None:
        if self._loading:
            return
        if name == "confidential" or name in self._confidential_triggers():
            self._auto_confidential(name)
        self._show_badge()
        if self.current_id is not None:
            self.autosave()
            spec = next(s for s in self.specs if s.name == name)
            if spec.kind not in (*TEXT_KINDS, "list", LINES, "date"):
                self.autosave.flush()

    def _confidential_triggers(self) -> tuple[str, ...]:
        return ()

    def _auto_confidential(self, name: str) -> None:
        """Hook: e.g. safety planning becomes confidential when chosen."""

    def _show_badge(self) -> None:
        w = self.fields.get("confidential")
        if w is None:
            return
        self.badge.value = (
            "<span class='cm-badge cm-badge-confidential'>Survivor-confidential: only in the "
            "consultation copy, never in the case record or any document for the family or him"
            "</span>"
            if w.value
            else ""
        )

    def _problems(self, error: ValidationError) -> str:
        lines = [str(p) for p in problems_from_error(error)]
        return "Not saved yet: " + "; ".join(lines)

    def _show_problem(self, text: str) -> None:
        self.status.value = f"<span class='cm-invalid'>{html.escape(text)}</span>"

    def _dates_valid(self) -> bool:
        bad = [s.label for s in self.specs if s.kind == "date" and not self.fields[s.name].valid]
        if bad:
            self._show_problem(f"Not saved yet: check the date in '{bad[0]}'.")
        return not bad

    def add(self) -> str | None:
        """Add the form as a new record. Returns the new id, or None when it was refused."""
        if not self._dates_valid():
            return None
        record_id = next_id(self.session.case, self.prefix)
        try:
            record = self.build(None, record_id)
        except ValidationError as e:
            self._show_problem(self._problems(e))
            return None
        problem = self.on_save(self.section, record)
        if problem:
            self._show_problem(problem)
            return None
        self.start_new()
        self.status.value = (
            f"<span class='cm-valid'>Added. It is in the list on the left; "
            f"the form is ready for the next {html.escape(self.noun)}.</span>"
        )
        return record_id

    def _commit_edit(self) -> None:
        if self.current_id is None:
            return
        record = self.find(self.current_id)
        if record is None or not self._dates_valid():
            return
        try:
            new = self.build(record, record.id)
        except ValidationError as e:
            self._show_problem(self._problems(e))
            return
        if new == record:
            return
        problem = self.on_save(self.section, new)
        if problem:
            self._show_problem(problem)
        else:
            self.status.value = "<span class='cm-valid'>Saved.</span>"

    def flush(self) -> None:
        """Run any pending autosave and language checks now."""
        self.autosave.flush()
        for lens in self.form.lenses.values():
            lens.flush()

    def delete(self) -> None:
        if self.current_id is None:
            return
        self.autosave.cancel()
        problem = self.on_delete(self.current_id)
        if problem:
            self._show_problem(problem)
            return
        self.start_new()
        self.status.value = "<span class='cm-valid'>Deleted. Undo brings it back.</span>"
