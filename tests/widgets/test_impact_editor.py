"""Impacts on each child, with caused-by links to his behaviours."""


def test_impact_links_to_behaviours(app):
    """An impact is saved with the behaviours chosen as its cause."""
    editor = app.editor("impact")
    behaviours = [b.id for b in app.session.case.behaviours[:2]]
    assert {rid for _, rid in editor.fields["caused_by"].options} == {
        b.id for b in app.session.case.behaviours
    }
    editor.fields["description"].value = "Child A will not go to school on Mondays."
    editor.fields["caused_by"].value = tuple(behaviours)
    new_id = editor.add()
    saved = next(i for i in app.session.case.impacts if i.id == new_id)
    assert saved.caused_by == behaviours
    assert saved.child == app.session.case.children[0].id
