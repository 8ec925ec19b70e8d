"""Her protective efforts: safety planning is confidential by default, with a badge."""


def test_safety_planning_is_confidential_with_badge(app, demo_path):
    """Choosing safety planning ticks confidential and shows the badge; the record keeps it."""
    editor = app.editor("efforts")
    editor.fields["category"].value = "safety_planning"
    assert editor.fields["confidential"].value is True
    assert "Survivor-confidential" in editor.badge.value
    editor.fields[
        "description"
    ].value = "She agreed a code word with Child A for calling the neighbour."
    new_id = editor.add()
    saved = next(e for e in app.session.case.efforts if e.id == new_id)
    assert saved.confidential


def test_other_efforts_are_not_confidential_by_default(app):
    """A day-to-day care effort starts as not confidential, without the badge."""
    editor = app.editor("efforts")
    editor.start_new()
    editor.fields["category"].value = "daily_care_and_routine"
    assert editor.fields["confidential"].value is False
    assert editor.badge.value == ""


def test_confidential_records_are_marked_in_the_list(app):
    """Confidential records carry a marker in the record list."""
    editor = app.editor("efforts")
    marked = {rid for label, rid in editor.records.options if label.startswith("[confidential]")}
    assert marked == {e.id for e in app.session.case.efforts if e.confidential}
