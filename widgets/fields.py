"""Small input widgets the record editors are built from.

Each has a ``value`` in casefile terms (an id, a tuple of ids, an EDTF string or None) so the
editor can read and fill a form without knowing which widget is which.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as ipw
import traitlets

from casemap import dates, taxonomy

from . import shared


def describe(label: str) -> ipw.HTML:
    return shared.html(
        f"<span class='cm-field-label'>{html.escape(label)}</span>", "cm-field-label-box"
    )


class TaxonomyChoice(ipw.VBox):
    """A dropdown of one taxonomy, with the chosen term's help text beneath it."""

    value = traitlets.Any(None, allow_none=True)

    def __init__(
        self,
        kind: str,
        *,
        optional: bool = False,
        none_label: str = "Not recorded",
        only: Sequence[str] | None = None,
    ):
        self.kind = kind
        terms = [t for t in taxonomy.terms(kind) if only is None or t.id in only]
        options: list[tuple[str, str]] = [(t.label, t.id) for t in terms]
        if optional:
            # "" rather than None: a Dropdown shows nothing at all when its value is None.
            options.insert(0, (none_label, ""))
        self.dropdown = ipw.Dropdown(options=options, layout=shared.FULL, style=shared.CHOICE_STYLE)
        self.help = shared.html("", "cm-help")
        super().__init__(children=[self.dropdown, self.help])
        self.add_class(f"cm-choice-{kind}")
        self.value = self.dropdown.value or None
        self._show_help()
        self.dropdown.observe(self._from_dropdown, names="value")

    def _from_dropdown(self, change: dict) -> None:
        self.value = change["new"] or None
        self._show_help()

    @traitlets.observe("value")
    def _to_dropdown(self, change: dict) -> None:
        if self.dropdown.value != (change["new"] or ""):
            self.dropdown.value = change["new"] or ""

    def _show_help(self) -> None:
        text = taxonomy.help_text(self.kind, self.dropdown.value) if self.dropdown.value else ""
        self.help.value = f"<span>{html.escape(text)}</span>" if text else ""


class PersonChoice(ipw.VBox):
    """One person of the case, by label (names stay out of option lists on a shared screen)."""

    value = traitlets.Unicode(None, allow_none=True)

    def __init__(self, *, optional: bool = False):
        self.dropdown = ipw.Dropdown(options=[], layout=shared.FULL, style=shared.CHOICE_STYLE)
        super().__init__([self.dropdown])
        self.optional = optional
        self.dropdown.observe(self._from_dropdown, names="value")

    def _from_dropdown(self, change: dict) -> None:
        self.value = change["new"] or None

    @traitlets.observe("value")
    def _to_dropdown(self, change: dict) -> None:
        want = change["new"] or ""
        if self.dropdown.value != want and want in [v for _, v in self.dropdown.options]:
            self.dropdown.value = want

    def set_people(self, people: Sequence[tuple[str, str]]) -> None:
        current = self.value or ""
        options: list[tuple[str, str]] = list(people)
        if self.optional:
            options.insert(0, ("Not recorded", ""))  # "": a None value shows an empty box
        ids = [v for _, v in options]
        if [tuple(o) for o in self.dropdown.options] != options:
            self.dropdown.options = options
        want = current if current in ids else (ids[0] if ids else None)
        if self.dropdown.value != want:
            self.dropdown.value = want
        self.value = self.dropdown.value or None


class PeoplePicker(ipw.HBox):
    """Toggle buttons, one per person; ``value`` is the tuple of chosen ids in case order."""

    value = traitlets.Tuple()

    def __init__(self) -> None:
        super().__init__(layout=ipw.Layout(flex_flow="row wrap"))
        self.add_class("cm-people-picker")
        self.buttons: dict[str, ipw.ToggleButton] = {}
        self._syncing = False
        self._people: list[tuple[str, str]] | None = None

    def set_people(self, people: Sequence[tuple[str, str]]) -> None:
        if list(people) == self._people:
            return  # rebuilding would create new widget models for nothing
        self._people = list(people)
        keep = set(self.value)
        buttons = {}
        for label, pid in people:
            b = ipw.ToggleButton(
                description=label,
                value=pid in keep,
                layout=shared.AUTO,
                style=shared.TOGGLE_STYLE,
            )
            b.add_class("cm-person-toggle")
            b.observe(self._from_buttons, names="value")
            buttons[pid] = b
        self.buttons = buttons
        self.children = list(buttons.values())
        self._set(tuple(pid for pid in buttons if pid in keep))
        if not buttons:
            self.children = [
                shared.html(
                    "<span class='cm-help'>No one of this role yet: add people in step 1.</span>"
                )
            ]

    def _set(self, value: tuple) -> None:
        self._syncing = True
        try:
            self.value = value
        finally:
            self._syncing = False

    def _from_buttons(self, change: dict) -> None:
        if not self._syncing:
            self._set(tuple(pid for pid, b in self.buttons.items() if b.value))

    @traitlets.observe("value")
    def _to_buttons(self, change: dict) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            for pid, b in self.buttons.items():
                b.value = pid in change["new"]
        finally:
            self._syncing = False


class RecordPicker(ipw.SelectMultiple):
    """Several records of the case (e.g. the behaviours an impact was caused by)."""

    def __init__(self) -> None:
        super().__init__(options=[], rows=5, layout=shared.FULL, style=shared.CHOICE_STYLE)

    def set_records(self, records: Sequence[tuple[str, str]]) -> None:
        keep = set(self.value)
        if [tuple(o) for o in self.options] != list(records):
            self.options = list(records)
        want = tuple(rid for _, rid in records if rid in keep)
        if self.value != want:
            self.value = want


class DateField(ipw.VBox):
    """An EDTF date with live validation; ``value`` is the text, or None when empty.

    ``valid`` is False while the text is not a date of the casemap/1 subset.
    """

    value = traitlets.Unicode(None, allow_none=True)
    valid = traitlets.Bool(True)

    def __init__(self, placeholder: str = "e.g. 2024-03, 2024-03~ or 2023-06/2024-01"):
        self.text = ipw.Text(
            placeholder=placeholder,
            continuous_update=True,
            layout=shared.FULL,
            style=shared.TEXT_STYLE,
        )
        self.feedback = shared.html("", "cm-date-feedback")
        super().__init__(children=[self.text, self.feedback])
        self.add_class("cm-date")
        self.text.observe(self._from_text, names="value")

    def _from_text(self, change: dict) -> None:
        text = change["new"].strip()
        if not text:
            self.valid, self.feedback.value = True, ""
            self._set_value(None)
            return
        try:
            d = dates.parse(text)
        except dates.DateError as e:
            self.valid = False
            self.feedback.value = f"<span class='cm-invalid'>{html.escape(str(e))}</span>"
            return
        self.valid = True
        self.feedback.value = f"<span class='cm-valid'>{html.escape(explain(d))}</span>"
        self._set_value(text)

    def _set_value(self, value: str | None) -> None:
        if self.value != value:
            self.value = value

    @traitlets.observe("value")
    def _to_text(self, change: dict) -> None:
        new = change["new"] or ""
        if self.text.value.strip() != new:
            self.text.value = new


def explain(d: dates.EdtfDate) -> str:
    """A date in words, for the live check under a date box."""

    def point(p: dates.Point) -> str:
        if p.precision == "year":
            words = f"{p.earliest.year}"
        elif p.precision == "month":
            words = p.earliest.strftime("%B %Y")
        else:
            words = f"{p.earliest.day} {p.earliest.strftime('%B %Y')}"
        if p.approximate:
            words = "about " + words
        if p.uncertain:
            words = "possibly " + words
        return words

    if d.ongoing:
        return f"from {point(d.start)}, ongoing"
    if d.end is not None:
        return f"from {point(d.start)} to {point(d.end)}"
    return point(d.start)


class OptionalBool(ipw.VBox):
    """Yes / No / Not known, for a field that may be unknown; ``value`` is True, False or None."""

    value = traitlets.Bool(None, allow_none=True)
    WORDS = {None: "unknown", True: "yes", False: "no"}

    def __init__(self) -> None:
        # Strings inside: a Dropdown shows an empty box when its value is None.
        self.dropdown = ipw.Dropdown(
            options=[("Not known", "unknown"), ("Yes", "yes"), ("No", "no")],
            layout=ipw.Layout(width="12em"),
        )
        super().__init__([self.dropdown])
        self.dropdown.observe(self._from_dropdown, names="value")

    def _from_dropdown(self, change: dict) -> None:
        self.value = {v: k for k, v in self.WORDS.items()}[change["new"]]

    @traitlets.observe("value")
    def _to_dropdown(self, change: dict) -> None:
        self.dropdown.value = self.WORDS[change["new"]]
