"""Step 9: the consultation's questions, notes and recommendations."""

import json


def test_questions_keep_their_commas_and_reach_the_right_summaries(app, demo_path):
    """Each line is one question; the record is on disk and in the case-record summary only."""
    app.show_step("summary")
    editor = app.editors["consultations"]
    editor.start_new()
    editor.fields["date"].text.value = "2026-11-23"
    editor.fields["participants"].value = "worker, supervisor"
    editor.fields["questions"].value = "How, and when, do we speak to him?\n\nWho tells the school?"
    editor.fields["recommendations"].value = "Worker meets him on 2 December, with the supervisor."
    new_id = editor.add()
    assert new_id, editor.status.value
    saved = json.loads(demo_path.read_text(encoding="utf-8"))
    held = next(c for c in saved["consultations"] if c["id"] == new_id)
    assert held["questions"] == ["How, and when, do we speak to him?", "Who tells the school?"]
    assert held["participants"] == ["worker", "supervisor"]
    panel = app.editor("summary")
    panel.format.value = "md"
    for audience, shown in (("case-record", True), ("perpetrator", False)):
        panel.audience.value = audience
        _, data = panel.prepare()
        assert ("Worker meets him on 2 December" in data.decode("utf-8")) is shown, audience


def test_the_lens_reads_recommendations(app):
    """A recommendation that puts his violence on her is flagged under the box as typed."""
    app.show_step("summary")
    editor = app.editors["consultations"]
    editor.fields["recommendations"].value = "Mother must protect the children from his violence."
    lens = editor.form.lenses["recommendations"]
    lens.flush()
    assert lens.findings, lens.value
