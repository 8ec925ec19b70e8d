"""The consultation app: opening a case from the URL, saving through the widgets, undo."""

import html
import json

import pytest

from casemap import store
from widgets.apps import ConsultationApp, StartPage
from widgets.guidance import STEPS


def on_disk(path):
    return json.loads(path.read_text())


def fill_behaviour(editor, description, when):
    editor.fields["description"].value = description
    editor.fields["when"].text.value = when


def test_add_behaviour_reaches_disk_and_undo_removes_it(app, demo_path):
    """A behaviour added through the widgets is in the casefile on disk; undo removes it there."""
    editor = app.editor("pattern")
    fill_behaviour(editor, "He took her car keys so she could not drive to work.", "2024-03~")
    editor.fields["category"].value = "economic_abuse"
    new_id = editor.add()
    saved = {b["id"]: b for b in on_disk(demo_path)["behaviours"]}
    assert saved[new_id]["when"] == "2024-03~"
    assert saved[new_id]["category"] == "economic_abuse"
    assert app.save_state.value == f"Saved · revision {on_disk(demo_path)['revision']}"
    app.undo_button.click()
    assert new_id not in {b["id"] for b in on_disk(demo_path)["behaviours"]}
    assert new_id not in {b.id for b in app.session.case.behaviours}


def test_edit_is_autosaved(app, demo_path):
    """Changing a field of an existing record saves it without any save button."""
    editor = app.editor("pattern")
    first = app.session.case.behaviours[0].id
    editor.records.value = first
    editor.fields["frequency"].value = "ongoing"
    assert {b["id"]: b for b in on_disk(demo_path)["behaviours"]}[first]["frequency"] == "ongoing"
    editor.fields["description"].value = "He followed her to the school gate."
    editor.flush()
    disk = {b["id"]: b for b in on_disk(demo_path)["behaviours"]}
    assert disk[first]["description"] == "He followed her to the school gate."


def test_stale_save_from_second_app_keeps_both_versions(demo_path, case_home):
    """A save based on an old revision shows the conflict message and loses neither version."""
    mine, theirs = ConsultationApp(demo_path), ConsultationApp(demo_path)
    t = theirs.editor("pattern")
    fill_behaviour(t, "Theirs: he sent forty messages in one night.", "2024-05")
    their_id = t.add()
    m = mine.editor("pattern")
    fill_behaviour(m, "Mine: he waited outside her workplace.", "2024-06")
    m.add()
    assert "Someone else saved this case" in mine.message.value
    assert mine.message_box.layout.display == "flex"
    assert mine.conflict_box.layout.display == "flex"
    disk = on_disk(demo_path)
    assert their_id in {b["id"] for b in disk["behaviours"]}
    assert not any(b["description"].startswith("Mine:") for b in disk["behaviours"])
    copy = store.load(mine.session.path)
    assert mine.session.path != demo_path
    assert any(b.description.startswith("Mine:") for b in copy.behaviours)


@pytest.mark.parametrize("choice", ["reload", "keep"])
def test_conflict_choices(demo_path, choice):
    """Reload theirs opens the file on disk; keep mine stays on our copy; both files remain."""
    mine, theirs = ConsultationApp(demo_path), ConsultationApp(demo_path)
    theirs.update_case({"title": "Their title"})
    mine.update_case({"title": "My title"})
    copy_path = mine.session.path
    (mine.reload_button if choice == "reload" else mine.keep_button).click()
    assert mine.conflict_box.layout.display == "none"
    expected = "Their title" if choice == "reload" else "My title"
    assert mine.session.case.title == expected
    assert store.load(demo_path).title == "Their title"
    assert store.load(copy_path).title == "My title"


def test_every_step_builds_with_guidance(app):
    """Every step can be shown and carries its guidance and prompt questions."""
    for step in STEPS:
        view = app.show_step(step.key)
        assert step.title in view.children[0].value
        assert app.stack.selected_index == [s.key for s in STEPS].index(step.key)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("case=nope-404", "There is no case 'nope-404'"),
        ("case=../../etc/passwd", "does not name a case"),
        ("case=%3Cscript%3E", "does not name a case"),
    ],
)
def test_unknown_or_bad_case_id_shows_message_and_list(case_home, query, shown):
    """An unknown or malformed ?case= gives a calm message and the case list, never a traceback."""
    page = ConsultationApp.open_from_url(query)
    assert isinstance(page, StartPage)
    assert shown in html.unescape(page.message.value)
    assert "<script>" not in page.message.value
    assert "cm-message" in page.message._dom_classes
    assert "cm-case-list" in page.cases.cases._dom_classes
    assert "demo-01" in page.cases.cases.value


def test_no_case_opens_first_demo_case(case_home):
    """Without ?case= the workbook opens the first demo case."""
    app = ConsultationApp.open_from_url("")
    assert isinstance(app, ConsultationApp)
    assert app.session.path == sorted((case_home / "demo").glob("*.json"))[0]


def test_case_named_in_url_is_opened(case_home):
    """?case=ID opens that case."""
    case_id = sorted((case_home / "demo").glob("*.json"))[-1].stem
    app = ConsultationApp.open_from_url(f"case={case_id}")
    assert app.session.case.case_id == case_id


def test_training_copy_shows_banner(case_home):
    """A case with an x_training key shows the training-copy banner."""
    path = store.create("Training", folder=case_home)
    data = on_disk(path) | {"x_training": {"source": "demo"}}
    path.write_text(json.dumps(data))
    app = ConsultationApp(path)
    assert "Training copy" in app.training_banner.value
    assert "cm-training-banner" in app.training_banner._dom_classes
    plain = ConsultationApp(sorted((case_home / "demo").glob("*.json"))[0])
    assert plain.training_banner.value == ""


def test_callback_error_is_calm_and_app_keeps_working(app, demo_path, monkeypatch, caplog):
    """An exception in a callback shows a calm message, is logged, and the next action works."""
    editor = app.editor("pattern")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(app.session, "apply", broken)
    fill_behaviour(editor, "He threw her phone into the river.", "2024-02")
    editor.add_button.click()
    assert "Your saved work is safe" in app.message.value
    assert "disk on fire" not in app.message.value
    assert "disk on fire" in caplog.text
    monkeypatch.undo()
    editor.add_button.click()
    assert any(
        b["description"] == "He threw her phone into the river."
        for b in on_disk(demo_path)["behaviours"]
    )


def test_case_details_saved(app, demo_path):
    """Changing the title saves it."""
    app.show_step("people")
    app.editors["case"].title.value = "Consultation, spring"
    assert on_disk(demo_path)["title"] == "Consultation, spring"


def test_repr_summarises_the_case(app):
    """The app's text form (the notebook's checked output) names the case and its counts."""
    c = app.session.case
    assert repr(app).startswith(f"Case {c.case_id}: {len(c.people)} people")


def test_unreadable_case_gives_calm_message(case_home, caplog):
    """A casefile that does not load gives a calm page; the problems go to the log."""
    (case_home / "broken-1.json").write_text('{"format": "casemap/1", "case_id": 7}')
    page = ConsultationApp.open_from_url("case=broken-1")
    assert isinstance(page, StartPage)
    assert "could not be opened" in html.unescape(page.message.value)
    assert "case_id" in caplog.text
    assert "broken-1.json: could not be read" in page.cases.cases.value
