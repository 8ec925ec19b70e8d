"""The missing-information panel: what is not known yet, by critical component.

Always visible beside the steps, recomputed whenever the case changes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as ipw

from casemap.analysis.gaps import COMPONENTS, component_title, find_gaps

from . import shared
from .session import Session


def findings_html(findings: Sequence[Any], focus: int | None | bool = False) -> str:
    """Findings grouped by component (1 to 5, then the rest), each with its question.

    Groups are folded, apart from the ``focus`` component (the one the open step works on;
    None is "across the case", False none), so the panel stays short; each summary line still
    shows its count.
    """
    groups: list[int | None] = [*COMPONENTS, None]
    total = sum(1 for f in findings if f.severity == "gap")
    parts = [
        f"<p class='cm-findings-total'>{total} thing{'s' if total != 1 else ''} to find out</p>"
        if total
        else "<p class='cm-findings-total'>Nothing missing that the checks can see.</p>"
    ]
    for component in groups:
        mine = [f for f in findings if f.component == component]
        gaps = sum(1 for f in mine if f.severity == "gap")
        if component is None and not mine:
            continue
        number = f"{component} · " if component else ""
        count = (
            f"<span class='cm-count cm-count-gap'>{gaps} to find out</span>"
            if gaps
            else "<span class='cm-count cm-count-ok'>nothing missing</span>"
            if not mine
            else f"<span class='cm-count'>{len(mine)} note{'s' if len(mine) != 1 else ''}</span>"
        )
        items = "".join(
            f"<li class='cm-finding cm-finding-{html.escape(f.severity)}' "
            f"data-rule='{html.escape(f.rule)}'>"
            f"{html.escape(f.message)}"
            + (
                f"<br><span class='cm-question'>Ask: {html.escape(f.question)}</span>"
                if f.question
                else ""
            )
            + "</li>"
            for f in mine
        )
        parts.append(
            f"<details class='cm-component' data-component='{component or ''}'"
            f"{' open' if mine and focus is not False and component == focus else ''}>"
            f"<summary><b>{number}{html.escape(component_title(component))}</b> {count}</summary>"
            f"<ul>{items}</ul></details>"
        )
    return "".join(parts)


class FindingsPanel(ipw.VBox):
    """Missing information in the open case, grouped by critical component."""

    def __init__(self, session: Session, *, guard=lambda f: f):
        self.session = session
        self.heading = shared.html("<h3 class='cm-panel-title'>Missing information</h3>")
        self.body = shared.html("", "cm-findings-body")
        super().__init__([self.heading, self.body])
        self.add_class("cm-findings")
        self.findings: list[Any] = []
        self.focus: int | None | bool = False
        session.observe(guard(lambda change: self.refresh()), names="case")
        self.refresh()

    def show_component(self, component: int | None | bool) -> None:
        """Unfold the findings of the component the open step works on."""
        if component != self.focus:
            self.focus = component
            self.body.value = findings_html(self.findings, component)

    def refresh(self) -> None:
        self.findings = find_gaps(self.session.case)
        new = findings_html(self.findings, self.focus)
        if new != self.body.value:
            self.body.value = new
