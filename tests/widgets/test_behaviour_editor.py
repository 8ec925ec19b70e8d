"""Behaviour editors: live date validation, refusal of bad input, component 2 per child."""

import pytest

from widgets.behaviour_editor import is_child_directed, per_child_html


@pytest.mark.parametrize(
    ("text", "valid", "shown"),
    [
        ("2024-03", True, "March 2024"),
        ("2024-03~", True, "about March 2024"),
        ("2023-06/2024-01", True, "from June 2023 to January 2024"),
        ("2023-06/..", True, "ongoing"),
        ("March 2024", False, "is not a date"),
        ("2024-13", False, "month"),
    ],
)
def test_date_entry_validates_live(app, text, valid, shown):
    """The date box accepts the EDTF subset and explains any other text as it is typed."""
    editor = app.editor("pattern")
    editor.fields["when"].text.value = text
    assert editor.fields["when"].valid is valid
    assert shown in editor.fields["when"].feedback.value


def test_invalid_date_is_not_saved(app, demo_path):
    """Add refuses a record whose date is not valid, and says why; the form keeps its text."""
    editor = app.editor("pattern")
    before = demo_path.read_bytes()
    editor.fields["description"].value = "He hid her passport."
    editor.fields["when"].text.value = "last spring"
    assert editor.add() is None
    assert "check the date" in editor.status.value
    assert editor.fields["description"].value == "He hid her passport."
    assert demo_path.read_bytes() == before


def test_delete_then_undo(app, demo_path):
    """Deleting a behaviour removes it from disk; undo brings it back."""
    editor = app.editor("pattern")
    target = app.session.case.behaviours[-1].id
    editor.records.value = target
    editor.delete_button.click()
    assert target not in {b.id for b in app.session.case.behaviours}
    app.undo_button.click()
    assert target in {b.id for b in app.session.case.behaviours}


def test_child_harm_step_lists_child_directed_behaviours_per_child(app):
    """Step 3 lists only child-directed behaviours, and has a block for each child."""
    editor = app.editor("child_harm")
    case = app.session.case
    listed = {rid for _, rid in editor.records.options}
    assert listed == {b.id for b in case.behaviours if is_child_directed(b, case)}
    html = per_child_html(case)
    for child in case.children:
        assert child.label in html


def test_category_help_follows_choice(app):
    """The category dropdown shows the chosen category's help text."""
    from casemap import taxonomy

    choice = app.editor("pattern").fields["category"]
    choice.value = "isolation"
    assert taxonomy.help_text("behaviour_category", "isolation")[:20] in choice.help.value
