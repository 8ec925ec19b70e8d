"""Intersections and the restricted worker-safety section."""


def test_worker_safety_is_marked_restricted_and_saves(app):
    """The worker-safety section is visibly restricted and its flags are saved."""
    app.show_step("intersections")
    panel = app.editors["worker_safety"]
    assert "Restricted section" in panel.banner.value
    assert "cm-restricted" in panel._dom_classes
    panel.flags["weapons_access"].value = True
    panel.notified.value = True
    ws = app.session.case.worker_safety
    assert "weapons_access" in ws.flags
    assert ws.survivor_notified_before_contact is True


def test_threat_to_worker_added(app):
    """A threat to a worker is saved in the restricted section's list."""
    app.show_step("intersections")
    editor = app.editors["worker_safety"].threats
    editor.fields["description"].value = "He filmed the worker's car in the office car park."
    new_id = editor.add()
    assert new_id in {r.id for r in app.session.case.worker_safety.threats_to_workers}


def test_visit_plan_saved_when_typing_pauses_with_lens(app):
    """The visit plan is saved once typing pauses, and the lens reads it as it is typed."""
    app.show_step("intersections")
    panel = app.editors["worker_safety"]
    panel.visit_plan.value = "Two workers; she failed to protect the children before."
    assert app.session.case.worker_safety.visit_plan is None or "Two workers" not in (
        app.session.case.worker_safety.visit_plan
    )
    panel.flush()
    assert app.session.case.worker_safety.visit_plan.startswith("Two workers")
    assert "Wording to reconsider" in panel.visit_plan_lens.value


def test_system_response_added_on_timeline_step(app):
    """The timeline step records what police, courts and services did."""
    app.show_step("timeline")
    editor = app.editors["responses"]
    editor.fields["kind"].value = "protective_order"
    editor.fields[
        "description"
    ].value = "The court granted a protective order for her and the children."
    editor.fields["when"].text.value = "2024-04"
    new_id = editor.add()
    saved = next(r for r in app.session.case.responses if r.id == new_id)
    assert saved.kind == "protective_order" and saved.when == "2024-04"
