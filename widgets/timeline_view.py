"""The timeline of the open case, with filters; redrawn when the case changes.

Drawing needs matplotlib, which is slow to import; the first drawing happens when the timeline
is first shown, so the workbook is interactive before matplotlib is loaded.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Iterator
from typing import Any

import ipywidgets as ipw

from casemap import taxonomy

from .debounce import Debouncer
from .fields import DateField, PeoplePicker, describe
from .session import Session

log = logging.getLogger(__name__)

LANE_LABELS = {
    "perpetrator": "His behaviours",
    "efforts": "Her protective efforts",
    "children": "The children",
    "intersections": "Intersections",
    "responses": "System responses",
}


FILTER_DELAY = 0.5  # seconds
# A hidden timeline (once opened) is drawn ahead after this much quiet following a change, so
# going back to it shows the case as it is instead of waiting for a drawing.
AHEAD_DELAY = 0.5  # seconds


@contextlib.contextmanager
def _young_garbage() -> Iterator[None]:
    """Pause garbage collection while a figure is drawn, then free it in a young collection.

    A figure is some 30,000 objects in reference cycles, garbage once its picture is taken.
    Collections during the drawing would move them to the oldest generation, to be freed
    only by a full collection, which walks the whole kernel (cases, widgets, libraries):
    200 ms on a 1,000-record case. Kept young, they go in a collection of the young ones.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(0)


class TimelineView(ipw.VBox):
    """Timeline of the open case (an Image), redrawn when the case or a filter changes."""

    def __init__(self, session: Session, *, guard=lambda f: f, visible: bool = False):
        self.session = session
        self.visible = visible
        self.stale = True
        self.draws = 0
        self.date_from = DateField(placeholder="from, e.g. 2022")
        self.date_to = DateField(placeholder="to, e.g. 2024-06")
        self.categories = ipw.SelectMultiple(
            options=[(t.label, t.id) for t in taxonomy.terms("behaviour_category")],
            rows=5,
            layout=ipw.Layout(width="100%"),
        )
        self.categories.add_class("cm-timeline-categories")
        self.people = PeoplePicker()
        self.lanes = PeoplePicker()
        self.lanes.set_people([(label, lane) for lane, label in LANE_LABELS.items()])
        self.links = ipw.Checkbox(value=True, description="Show caused-by links", indent=False)
        self.image = ipw.Image(format="png", layout=ipw.Layout(width="100%"))
        self.image.add_class("cm-timeline-image")
        self.note = ipw.HTML()
        self.note.add_class("cm-timeline-note")
        # Which saved state the picture shows, so nobody reads an old picture as the case.
        self.caption = ipw.HTML()
        self.caption.add_class("cm-timeline-caption")
        filters = ipw.HBox(
            [
                ipw.VBox([describe("From"), self.date_from], layout=ipw.Layout(width="14em")),
                ipw.VBox([describe("To"), self.date_to], layout=ipw.Layout(width="14em")),
                ipw.VBox(
                    [describe("Only these kinds of behaviour (none chosen: all)"), self.categories],
                    layout=ipw.Layout(width="22em"),
                ),
                ipw.VBox(
                    [
                        describe("Lanes (none chosen: all)"),
                        self.lanes,
                        describe("Only records about"),
                        self.people,
                        self.links,
                    ],
                    layout=ipw.Layout(flex="1"),
                ),
            ],
            layout=ipw.Layout(flex_flow="row wrap", gap="12px"),
        )
        filters.add_class("cm-timeline-filters")
        self.filters = ipw.Accordion([filters], titles=("Filters",), selected_index=None)
        self.filters.add_class("cm-timeline-filter-box")
        self.filters.layout.flex = "1"
        self.enlarge = ipw.ToggleButton(
            description="Full size",
            icon="search-plus",
            tooltip="Show the timeline at full size (scroll to move)",
            layout=ipw.Layout(width="auto"),
        )
        self.enlarge.add_class("cm-timeline-enlarge")
        self.frame = ipw.Box([self.image], layout=ipw.Layout(max_height="900px"))
        self.frame.add_class("cm-timeline-frame")
        self.enlarge.observe(self._enlarge, names="value")
        super().__init__(
            [
                ipw.HBox(
                    [self.filters, self.enlarge],
                    layout=ipw.Layout(align_items="flex-start", gap="8px"),
                ),
                self.note,
                self.frame,
                self.caption,
            ]
        )
        self.add_class("cm-timeline")
        redraw = guard(lambda change: self.refresh())
        session.observe(redraw, names="case")
        # A drawing takes a second or more on a large case: filter changes (a date typed key
        # by key, several categories ticked) wait for a pause and are drawn once.
        self.filter_changed = Debouncer(guard(self.refresh), FILTER_DELAY)
        self.draw_ahead = Debouncer(guard(self._draw_ahead), AHEAD_DELAY)
        for w in (
            self.date_from,
            self.date_to,
            self.categories,
            self.people,
            self.lanes,
            self.links,
        ):
            w.observe(lambda change: self.filter_changed(), names="value")
        self._people()

    def _enlarge(self, change: dict) -> None:
        (self.frame.add_class if change["new"] else self.frame.remove_class)("cm-enlarged")

    def _people(self) -> None:
        self.people.set_people([(p.label, p.id) for p in self.session.case.people])

    def show(self) -> None:
        """The timeline became visible: draw it if anything changed while it was hidden."""
        self.visible = True
        if self.stale:
            self.refresh()

    def flush(self) -> None:
        """Draw now if a filter change is waiting (tests; leaving the step)."""
        self.filter_changed.flush()

    def hide(self) -> None:
        """The timeline is out of sight: changes only mark it stale until it is shown again."""
        self.visible = False

    def options(self) -> Any:
        from casemap.render.timeline import TimelineOptions

        return TimelineOptions(
            date_from=self.date_from.value if self.date_from.valid else None,
            date_to=self.date_to.value if self.date_to.valid else None,
            lanes=tuple(self.lanes.value) or None,
            categories=frozenset(self.categories.value) or None,
            people=frozenset(self.people.value) or None,
            links=self.links.value,
            audience="consultation",
        )

    def refresh(self) -> None:
        self.filter_changed.cancel()
        if not self.visible:
            self.stale = True
            self.draw_ahead()
            return
        self.draw_ahead.cancel()
        self._draw()

    def _draw_ahead(self) -> None:
        if self.stale and not self.visible:
            self._draw()

    def _draw(self) -> None:
        self._people()
        from casemap.render.timeline import draw_timeline, screen_png

        case = self.session.case
        with _young_garbage():  # the picture is sent before the figure is freed
            self.image.value = screen_png(draw_timeline(case, self.options()))
        self.caption.value = (
            f"<span class='cm-help'>Drawn from revision {case.revision} of the case.</span>"
        )
        self.stale = False
        self.draws += 1
        self.note.value = (
            "<span class='cm-help'>Nothing dated yet: add dates to records to place them "
            "here.</span>"
            if not any(r.when for _, r in case.records())
            else ""
        )
