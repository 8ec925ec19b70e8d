"""The list of cases with links into the workbook, and the controls to start a new case.

Shown on the start page, and on the consultation page when ``?case=`` names no case.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from urllib.parse import quote

import ipywidgets as ipw

from casemap import store

log = logging.getLogger(__name__)

WORKBOOK = "consultation.ipynb"


def case_link(case_id: str) -> str:
    return f"{WORKBOOK}?case={quote(case_id)}"


def case_list_html(folder: Path | None = None) -> str:
    """Every case in the casefile folder: id, title, a link; unreadable files named calmly."""
    rows = []
    for listing in store.list_cases(folder):
        if listing.case is None:
            rows.append(
                f"<li class='cm-case-unreadable'>{html.escape(listing.path.name)}: "
                "could not be read (run <code>casemap check</code> on it for details)</li>"
            )
            continue
        c = listing.case
        badge = (
            " <span class='cm-badge'>training copy</span>" if "x_training" in c.extensions else ""
        )
        # Supervisors review any case; trainers present only fictional or de-identified ones.
        more = [("review.ipynb", "review")]
        if listing.path.parent.name == "demo" or "x_training" in c.extensions:
            more.append(("present.ipynb", "present"))
        extra = "".join(
            f" · <a class='cm-{label}-link' href='{html.escape(f'{nb}?case={quote(c.case_id)}')}'"
            f">{label}</a>"
            for nb, label in more
        )
        rows.append(
            f"<li><a class='cm-case-link' href='{html.escape(case_link(c.case_id))}' "
            f"data-case='{html.escape(c.case_id)}'><code>{html.escape(c.case_id)}</code> · "
            f"{html.escape(c.title or 'Untitled case')}</a>{badge}"
            f"<span class='cm-help'>{extra}</span></li>"
        )
    if not rows:
        return "<p class='cm-help'>No cases yet. Start one below.</p>"
    return "<ul class='cm-cases'>" + "".join(rows) + "</ul>"


class CaseList(ipw.VBox):
    """Cases to open, and a new-case form (title and button)."""

    def __init__(self, *, guard=lambda f: f, folder: Path | None = None):
        self.folder = folder
        self.cases = ipw.HTML()
        self.cases.add_class("cm-case-list")
        self.new_title = ipw.Text(
            placeholder="Title, e.g. 'Consultation 12 March'", layout=ipw.Layout(width="28em")
        )
        self.new_title.add_class("cm-new-title")
        self.new_button = ipw.Button(description="New case", button_style="primary", icon="plus")
        self.new_button.add_class("cm-new-case")
        self.status = ipw.HTML()
        self.status.add_class("cm-new-case-status")
        super().__init__(
            [
                ipw.HTML("<h3>Cases</h3>"),
                self.cases,
                ipw.HTML(
                    "<h3>Start a new case</h3><p class='cm-help'>The title may identify the "
                    "family; the case id in links is an opaque token.</p>"
                ),
                ipw.HBox([self.new_title, self.new_button]),
                self.status,
            ]
        )
        self.add_class("cm-case-chooser")
        self.new_button.on_click(guard(self.create))
        self.refresh()

    def refresh(self) -> None:
        self.cases.value = case_list_html(self.folder)

    def create(self, _button=None) -> Path | None:
        title = self.new_title.value.strip()
        if not title:
            self.status.value = "<span class='cm-invalid'>Give the case a title first.</span>"
            return None
        path = store.create(title, folder=self.folder)
        log.info("created case %s", path.stem)
        self.new_title.value = ""
        self.refresh()
        self.status.value = (
            f"<span class='cm-valid'>Case created. <a class='cm-open-new' "
            f"href='{html.escape(case_link(path.stem))}'>Open it</a></span>"
        )
        return path
