"""Step 1: the case and the people in it (roles, labels, aliases, children's ages)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

import ipywidgets as ipw

from casemap import dates, taxonomy
from casemap.model import Case, Person

from . import shared
from .record_editor import FieldSpec, RecordEditor


def age_text(birth_date: str | None, today: dt.date | None = None) -> str:
    """'about 6' / '5 to 6' from an EDTF birth date; '' when unknown."""
    d = dates.parse_or_none(birth_date)
    if d is None:
        return ""
    today = today or dt.date.today()

    def years(born: dt.date) -> int:
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    youngest, oldest = years(d.latest or d.earliest), years(d.earliest)
    if youngest < 0:
        return "not yet born"
    word = "age" if youngest == oldest else "age about"
    return f"{word} {oldest}" if youngest == oldest else f"{word} {youngest}–{oldest}"


class PeopleEditor(RecordEditor):
    """Add, edit and remove the people of the case."""

    noun = "person"
    section = "people"
    model = Person
    prefix = "p"
    css = "cm-people-editor"
    specs = (
        FieldSpec("role", "Role", "choice", taxonomy="role"),
        FieldSpec(
            "label",
            "Label used in shared documents",
            "text",
            lens=False,
            placeholder="e.g. Father, Mother, Child A",
        ),
        FieldSpec("name", "Name", "text", lens=False),
        FieldSpec("aliases", "Other names, nicknames, spellings", "list", lens=False),
        FieldSpec("birth_date", "Born", "date", placeholder="e.g. 2018 or 2018-05"),
        FieldSpec(
            "relationship",
            "Relationship",
            "text",
            lens=False,
            placeholder="e.g. father of Leo and Mia",
        ),
        FieldSpec("notes", "Notes", "longtext"),
    )

    def prepare(self, values: dict) -> dict:
        if not values.get("label"):
            values["label"] = taxonomy.label("role", values.get("role") or "other_adult")
        return values

    def label(self, person: Person, case: Case) -> str:
        role = taxonomy.label("role", person.role)
        age = age_text(person.birth_date)
        bits = [person.label, role, person.name, age]
        return " · ".join(b for b in bits if b)


class CaseDetails(ipw.VBox):
    """Title and jurisdiction of the case; a change is saved when the box loses focus."""

    def __init__(self, session, *, on_change: Callable[[dict], str | None], guard=lambda f: f):
        self.session = session
        self.on_change = on_change
        self.title = ipw.Text(
            description="Title",
            continuous_update=False,
            layout=ipw.Layout(width="100%"),
            style={"description_width": "8em"},
        )
        self.title.add_class("cm-case-title")
        self.jurisdiction = ipw.Text(
            description="Jurisdiction",
            continuous_update=False,
            placeholder="e.g. US-CT, GB-SCT, AU-QLD",
            layout=ipw.Layout(width="24em"),
            style={"description_width": "8em"},
        )
        self.note = shared.html(
            "<span class='cm-help'>The title may identify the family. The case id is an "
            "opaque token used in links: "
            f"<code>{html.escape(session.case.case_id)}</code></span>"
        )
        self.status = shared.html()
        super().__init__([self.title, self.jurisdiction, self.note, self.status])
        self.add_class("cm-case-details")
        self._loading = False
        self.title.observe(guard(self._changed), names="value")
        self.jurisdiction.observe(guard(self._changed), names="value")
        session.observe(guard(lambda change: self.refresh()), names="case")
        self.refresh()

    def refresh(self) -> None:
        case = self.session.case
        self._loading = True
        try:
            self.title.value = case.title
            self.jurisdiction.value = case.jurisdiction or ""
        finally:
            self._loading = False

    def _changed(self, change: dict) -> None:
        if self._loading:
            return
        problem = self.on_change(
            {
                "title": self.title.value.strip(),
                "jurisdiction": self.jurisdiction.value.strip() or None,
            }
        )
        self.status.value = (
            f"<span class='cm-invalid'>{html.escape(problem)}</span>" if problem else ""
        )
