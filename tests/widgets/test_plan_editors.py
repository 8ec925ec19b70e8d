"""Statements and the two separate plans."""


def test_plans_are_separate(app):
    """An item added to his plan appears in his plan only."""
    app.show_step("plans")
    his = app.editors["perpetrator_plan"]
    his.fields["action"].value = "Stop contacting her through the children."
    his.fields["success_indicator"].value = "No messages passed through the children for 8 weeks."
    new_id = his.add()
    assert new_id in {p.id for p in app.session.case.plans.perpetrator}
    assert new_id not in {p.id for p in app.session.case.plans.survivor}
