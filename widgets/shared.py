"""Layouts and styles shared by many widgets.

Every Layout and Style is a widget model of its own, which the browser must create before the
page is interactive; a form of a dozen fields would otherwise bring three models per field.
Sharing them roughly halves the models of the workbook. Never change a shared one: give a
widget its own Layout when it must be shown, hidden or resized on its own.
"""

from __future__ import annotations

import ipywidgets as ipw
from ipywidgets.widgets.widget_bool import CheckboxStyle, ToggleButtonStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

FULL = ipw.Layout(width="100%")
AUTO = ipw.Layout(width="auto")
PLAIN = ipw.Layout()
ROW = ipw.Layout(margin="0 0 6px 0")
HTML_STYLE = HTMLStyle()
TEXT_STYLE = TextStyle()
BUTTON_STYLE = ipw.ButtonStyle()
TOGGLE_STYLE = ToggleButtonStyle()
CHOICE_STYLE = DescriptionStyle()
CHECK_STYLE = CheckboxStyle()


def html(value: str = "", *classes: str) -> ipw.HTML:
    """An HTML widget on the shared layout and style (``value`` must already be escaped)."""
    widget = ipw.HTML(value, layout=PLAIN, style=HTML_STYLE)
    for c in classes:
        widget.add_class(c)
    return widget


TRAINING_COPY = "<div><b>Training copy</b> · de-identified for teaching; not a live case.</div>"


class TrainingBanner(ipw.HTML):
    """The "training copy" banner: shown for de-identified training cases, empty otherwise."""

    def __init__(self) -> None:
        super().__init__("", layout=ipw.Layout(display="none"))
        self.add_class("cm-training-banner")

    def show(self, training: bool) -> None:
        self.value = TRAINING_COPY if training else ""
        self.layout.display = None if training else "none"
