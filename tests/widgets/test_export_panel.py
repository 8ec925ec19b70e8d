"""The summary step: a data: link to download, and a copy in the exports folder."""

import base64

import pytest


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_export_link_and_copy(app, case_home, fmt):
    """Prepare gives a download link holding the summary and keeps the same bytes in exports/."""
    panel = app.editor("summary")
    panel.audience.value = "case-record"
    panel.format.value = fmt
    name, data = panel.prepare()
    href = panel.link.value.split("href='", 1)[1].split("'", 1)[0]
    assert base64.b64decode(href.split(",", 1)[1]) == data
    assert (case_home.parent / "exports" / name).read_bytes() == data
    assert name.startswith(app.session.case.case_id)


def test_link_withdrawn_when_case_changes(app):
    """A download prepared earlier is taken away once the case changes."""
    panel = app.editor("summary")
    panel.prepare()
    app.update_case({"title": "New title"})
    assert panel.link.value == ""
