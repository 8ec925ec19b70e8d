"""People: roles, labels, aliases and children's ages."""

import datetime as dt

import pytest

from widgets.people_editor import age_text


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        ("2018-05-01", "age 6"),
        ("2018", "age about 5–6"),
        ("2018-05", "age about 5–6"),
        (None, ""),
        ("2025", "not yet born"),
    ],
)
def test_age_text(born, expected):
    """A child's age in words, from an approximate birth date."""
    assert age_text(born, today=dt.date(2024, 5, 15)) == expected


def test_person_added_with_aliases(app):
    """A person is saved with role, label and aliases split at commas."""
    editor = app.editor("people")
    editor.fields["role"].value = "other_adult"
    editor.fields["label"].value = "Paternal uncle"
    editor.fields["aliases"].value = "Rob, Bobby"
    new_id = editor.add()
    person = app.session.case.person(new_id)
    assert person.aliases == ["Rob", "Bobby"]
    assert person.label == "Paternal uncle"


def test_person_named_by_records_cannot_be_deleted(app):
    """Deleting the perpetrator, whom behaviours name, is refused with a reason."""
    editor = app.editor("people")
    perpetrator = app.session.case.people_with_role("perpetrator")[0].id
    editor.records.value = perpetrator
    editor.delete_button.click()
    assert "Not deleted" in editor.status.value
    assert app.session.case.person(perpetrator) is not None
