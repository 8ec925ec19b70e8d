"""The presentation: chronological steps, discussion questions, the name mask, the timeline."""

from __future__ import annotations

import html
import re

import pytest

from casemap import store
from widgets.present_app import KEYS_SCRIPT, PresentApp, steps_of


@pytest.fixture
def weak_path(case_home):
    return case_home / "demo" / "demo-03.json"


@pytest.fixture
def app(weak_path):
    return PresentApp(weak_path, draw=False)


def identifiers(path):
    case = store.load(path)
    return [n for p in case.people for n in [p.name, *p.aliases] if n.strip()]


def on_screen(app):
    return html.unescape(app.heading.value + app.record.value + app.discussion.value)


def test_steps_are_in_date_order(weak_path):
    """Between the opening and closing steps, every dated record comes in date order."""
    steps = steps_of(store.load(weak_path))
    keys = [s.record.date.sort_key() for s in steps[1:-1]]
    assert keys == sorted(keys)
    assert steps[0].record is None and steps[-1].record is None


def test_next_and_previous_move_one_step(app):
    """Next and Previous move by one, and are disabled at the ends."""
    assert app.prev_button.disabled
    app.next_button.click()
    assert app.index == 1
    assert app.counter.value == f"Step 2 of {len(app.steps)}"
    app.prev_button.click()
    assert app.index == 0
    app.go(len(app.steps) - 1)
    assert app.next_button.disabled
    app.next_button.click()
    assert app.index == len(app.steps) - 1


@pytest.mark.parametrize("case_id", ["demo-01", "demo-02", "demo-03"])
def test_masked_presentation_shows_no_name(case_home, case_id):
    """With the mask on, no name or alias appears in any step's text."""
    path = case_home / "demo" / f"{case_id}.json"
    app = PresentApp(path, draw=False)
    names = identifiers(path)
    for i in range(len(app.steps)):
        app.go(i)
        shown = on_screen(app)
        for name in names:
            assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", shown, re.I), (i, name)


def test_unmasked_shows_names_and_switch_masks_at_once(app, weak_path):
    """Turning the mask off shows names; turning it on replaces them at once."""
    app.mask.value = False
    assert "Leanne Quellan" in on_screen(app)
    app.mask.value = True
    assert "Leanne Quellan" not in on_screen(app)
    assert "Mother" in on_screen(app)


def test_questions_follow_the_record(app):
    """A behaviour asks about his pattern; an effort asks what she does to protect the children."""
    kinds = {}
    for i, step in enumerate(app.steps):
        if step.section and step.section not in kinds:
            app.go(i)
            kinds[step.section] = app.discussion.value
    assert "What is his pattern?" in kinds["behaviours"]
    assert "What is she doing to protect the children" in kinds["efforts"]
    assert "Which of his behaviours caused this?" in kinds["impacts"]
    assert all("What is missing?" in text for text in kinds.values())


def test_closing_step_lists_missing_information(app):
    """The last step lists the open gaps, e.g. that there is no plan for him."""
    app.go(len(app.steps) - 1)
    assert "There is no plan for him" in app.record.value


def test_no_confidential_record_is_presented(case_home):
    """Survivor-confidential records are never a step (case-record audience)."""
    path = case_home / "demo" / "demo-01.json"
    confidential = {r.id for _, r in store.load(path).records() if r.confidential}
    assert confidential
    app = PresentApp(path, draw=False)
    assert not {s.record.id for s in app.steps if s.record} & confidential


def test_timeline_is_drawn_up_to_the_step(weak_path):
    """The timeline image is a PNG that changes as the steps go on."""
    app = PresentApp(weak_path)
    app.go(1)
    first = bytes(app.timeline.value)
    app.go(len(app.steps) - 2)
    later = bytes(app.timeline.value)
    assert first.startswith(b"\x89PNG") and later.startswith(b"\x89PNG")
    assert first != later


def test_keys_script_only_clicks_the_buttons():
    """The arrow-key script targets the Previous/Next buttons and skips typing in fields."""
    assert ".cm-present-next" in KEYS_SCRIPT and ".cm-present-prev" in KEYS_SCRIPT
    assert "INPUT|TEXTAREA|SELECT" in KEYS_SCRIPT


def test_repr(app):
    """The notebook's checked output names the case, the steps and the mask."""
    assert repr(app) == f"Presentation of demo-03: {len(app.steps)} steps, names masked"


def test_live_case_is_not_presented(case_home):
    """A case outside the demo folder without the training marker is refused, calmly."""
    live = store.load(case_home / "demo" / "demo-01.json")
    path = case_home / "live-1.json"
    store.save(live.model_copy(update={"case_id": "live-1"}), path)
    app = PresentApp(path, draw=False)
    assert not app.presentable
    assert "casemap deidentify" in app.message.value
    shown = html.unescape(app.heading.value + app.message.value + app.record.value)
    for name in identifiers(path):
        assert name not in shown
    assert repr(app) == "Presentation refused: live-1 is a live case"


def test_training_copy_is_presented_with_banner(case_home):
    """A de-identified training copy outside the demo folder is presented, with the banner."""
    from casemap.render.audience import deidentify_case

    path = case_home / "training.json"
    store.save(deidentify_case(store.load(case_home / "demo" / "demo-03.json")), path)
    app = PresentApp(path, draw=False)
    assert app.presentable
    assert "Training copy" in app.training_banner.value


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("case=demo-02", "Presentation of demo-02"),
        ("", "Presentation of demo-01"),
        ("case=../etc", "Cases:"),
        ("case=nope", "Cases:"),
    ],
)
def test_open_from_url(case_home, query, expected):
    """?case=ID opens that case, none opens the first demo case, a bad id shows the cases."""
    assert repr(PresentApp.open_from_url(query, draw=False)).startswith(expected)
