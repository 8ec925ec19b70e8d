"""The timeline view: drawn when shown, redrawn when the case or a filter changes."""

import gc

import pytest

from casemap.model import with_record


def test_timeline_drawn_when_shown_and_redrawn_on_change(app):
    """The image appears when the step opens, and changes when a record changes."""
    app.show_step("timeline")
    timeline = app.editors["timeline"]
    first = bytes(timeline.image.value)
    assert first.startswith(b"\x89PNG")
    b = app.session.case.behaviours[0]
    app.session.apply(
        with_record(app.session.case, "behaviours", b.model_copy(update={"when": "2019-01"}))
    )
    assert bytes(timeline.image.value) != first


def test_hidden_timeline_waits(app):
    """While another step is shown, a change marks the timeline stale instead of drawing."""
    app.show_step("timeline")
    timeline = app.editors["timeline"]
    app.show_step("pattern")
    draws = timeline.draws
    app.update_case({"title": "Changed"})
    assert timeline.draws == draws and timeline.stale
    app.show_step("timeline")
    assert timeline.draws == draws + 1


def test_hidden_timeline_is_drawn_ahead_once_changes_pause(app):
    """After a pause, a hidden timeline draws the saved revision, so opening it needs no wait."""
    app.show_step("timeline")
    timeline = app.editors["timeline"]
    app.show_step("pattern")
    draws = timeline.draws
    app.update_case({"title": "Changed once"})
    app.update_case({"title": "Changed twice"})
    assert timeline.draws == draws and timeline.draw_ahead.pending
    timeline.draw_ahead.flush()  # what the kernel's loop does after AHEAD_DELAY of quiet
    assert timeline.draws == draws + 1 and not timeline.stale
    assert f"revision {app.session.case.revision} " in timeline.caption.value
    app.show_step("timeline")
    assert timeline.draws == draws + 1


def test_filters_reach_the_drawing(app):
    """Filter widgets become TimelineOptions."""
    app.show_step("timeline")
    timeline = app.editors["timeline"]
    timeline.date_from.text.value = "2022"
    timeline.categories.value = ("threats",)
    options = timeline.options()
    assert options.date_from == "2022"
    assert options.categories == frozenset({"threats"})


def test_filter_changes_are_drawn_once_after_a_pause(app):
    """Typing a date filter key by key draws once, when typing pauses."""
    app.show_step("timeline")
    timeline = app.editors["timeline"]
    draws = timeline.draws
    for text in ["2", "20", "202", "2022"]:
        timeline.date_from.text.value = text
    assert timeline.draws == draws
    timeline.flush()
    assert timeline.draws == draws + 1


@pytest.mark.parametrize("enabled", [True, False])
def test_drawing_leaves_garbage_collection_as_it_was(app, enabled):
    """Collection is paused while the figure is drawn, then left on or off as it was."""
    app.show_step("timeline")
    timeline = app.editors["timeline"]
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        draws = timeline.draws
        app.update_case({"title": "Changed"})
        assert timeline.draws == draws + 1
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
