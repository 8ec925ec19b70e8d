"""The case list and the new-case controls."""

from widgets.case_list import CaseList, case_list_html


def test_case_list_links_each_case(case_home):
    """Every case appears with its id, its title (escaped) and a link to the workbook."""
    html = case_list_html()
    for path in (case_home / "demo").glob("*.json"):
        assert f"href='consultation.ipynb?case={path.stem}'" in html


def test_new_case_created(case_home):
    """A title and a click create a casefile and offer a link to it."""
    cases = CaseList()
    cases.new_title.value = "<b>Consultation</b> March"
    path = cases.create()
    assert path.exists()
    assert "&lt;b&gt;Consultation&lt;/b&gt; March" in cases.cases.value
    assert f"consultation.ipynb?case={path.stem}" in cases.status.value


def test_new_case_needs_a_title(case_home):
    """Without a title nothing is created."""
    cases = CaseList()
    assert cases.create() is None
    assert "title" in cases.status.value


def test_review_for_every_case_and_present_only_for_demo_or_training(case_home):
    """Each case links to its review; only fictional demo cases link to the presentation."""
    cases = CaseList()
    cases.new_title.value = "A real consultation"
    real = cases.create()
    html = case_list_html()
    for path in (case_home / "demo").glob("*.json"):
        assert f"href='review.ipynb?case={path.stem}'" in html
        assert f"href='present.ipynb?case={path.stem}'" in html
    assert f"href='review.ipynb?case={real.stem}'" in html
    assert f"present.ipynb?case={real.stem}" not in html
