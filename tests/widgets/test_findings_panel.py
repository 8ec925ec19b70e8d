"""The missing-information panel."""

from casemap import store
from casemap.analysis.gaps import find_gaps
from casemap.model import Behaviour, with_record
from widgets.findings_panel import FindingsPanel, findings_html
from widgets.session import Session


def demo03(case_home):
    return case_home / "demo" / "demo-03.json"


def test_panel_follows_the_case(case_home):
    """Adding a record that answers a finding removes it from the panel."""
    session = Session(demo03(case_home))
    panel = FindingsPanel(session)
    assert "Child B appears in his behaviours only as present" in panel.body.value
    b = Behaviour(
        id="bx",
        perpetrator="p1",
        category="using_children",
        targets=["c2"],
        description="He told Child B to report on her mother.",
        when="2024-03~",
    )
    session.apply(with_record(session.case, "behaviours", b))
    assert "Child B appears in his behaviours only as present" not in panel.body.value
    assert panel.findings == find_gaps(store.load(demo03(case_home)))


def test_findings_grouped_by_component_and_escaped(case_home):
    """Each of the five components has a group with its count; text is escaped."""
    case = store.load(demo03(case_home))
    html = findings_html(find_gaps(case), focus=1)
    for component in range(1, 6):
        assert f"data-component='{component}'" in html
    assert "data-component='1' open" in html
    assert "data-component='2' open" not in html
    assert "<script" not in html


def test_focus_unfolds_the_component_of_the_step(app):
    """Showing a step unfolds that step's component in the panel."""
    app.show_step("efforts")
    assert app.findings.focus == 3
