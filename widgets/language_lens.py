"""The language lens: under a free-text box, the phrasings that hide who did what to whom.

It re-checks the text once typing pauses (about 400 ms) and updates one HTML widget in place.
Case text is data: every piece of it is escaped before it reaches the page.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as ipw

from . import shared
from .debounce import Debouncer

DELAY = 0.4


def lens_html(findings: Sequence[Any]) -> str:
    """The lens's HTML for a list of LanguageFinding (empty string when there is nothing)."""
    if not findings:
        return ""
    items = []
    for f in findings:
        better = (
            f" <span class='cm-lens-better'>Try: {html.escape(f.suggestion)}</span>"
            if f.suggestion
            else ""
        )
        items.append(
            f"<li><q class='cm-lens-phrase'>{html.escape(f.text)}</q> "
            f"{html.escape(f.message)}{better}</li>"
        )
    return (
        "<div class='cm-lens-body'><span class='cm-lens-title'>Wording to reconsider</span>"
        f"<ul>{''.join(items)}</ul></div>"
    )


def _check(text: str) -> list[Any]:
    from casemap.analysis.language import check_language

    return list(check_language(text))


class LanguageLens(ipw.HTML):
    """An HTML line that follows a Text or Textarea and flags victim-blaming wording."""

    def __init__(
        self,
        source: ipw.ValueWidget,
        *,
        guard: Callable[[Callable[..., Any]], Callable[..., Any]] = lambda f: f,
        delay: float = DELAY,
    ):
        super().__init__(value="", layout=shared.PLAIN, style=shared.HTML_STYLE)
        self.add_class("cm-lens")
        self.source = source
        self.findings: list[Any] = []
        self.debouncer = Debouncer(guard(self.refresh), delay)
        source.observe(lambda change: self.debouncer(), names="value")

    def refresh(self) -> None:
        text = self.source.value or ""
        self.findings = _check(text) if text.strip() else []
        new = lens_html(self.findings)
        if new != self.value:
            self.value = new

    def flush(self) -> None:
        self.debouncer.flush()
