"""The caseload app: figures from the casefile folder, charts, links, no case text, CSV."""

from __future__ import annotations

import pytest

from casemap import store
from widgets.caseload_app import CaseloadApp


@pytest.fixture
def app(case_home):
    (case_home / "broken.json").write_text("{", encoding="utf-8")
    return CaseloadApp()


def test_reads_every_case_and_reports_the_broken_file(app):
    """The three demo cases are counted and the broken file is listed as not read."""
    assert app.summary.cases == 3
    assert "3 cases, 1 not read" in app.heading.value
    assert "broken.json" in app.tables.value


def test_chart_is_drawn(app):
    """The charts are a PNG image."""
    assert bytes(app.chart.value).startswith(b"\x89PNG")


def test_cases_without_his_plan_are_links(app):
    """The weak demo case (no plan for him) is listed as a link to its consultation."""
    assert "consultation.ipynb?case=demo-03" in app.tables.value


def test_no_case_text_on_screen(app, case_home):
    """No name, alias or description from any case appears in the page."""
    shown = app.heading.value + app.tables.value
    for listing in store.list_cases(case_home):
        if listing.case is None:
            continue
        for p in listing.case.people:
            for name in [p.name, *p.aliases]:
                assert name not in shown
        for _, r in listing.case.records():
            assert r.description[:30] not in shown


def test_read_again_picks_up_a_new_case(app, case_home):
    """After a new casefile appears, Read again counts it."""
    store.create("Another", "extra-1", case_home)
    app.refresh_button.click()
    assert app.summary.cases == 4


def test_csv_download(app, case_home):
    """The CSV is kept in the exports folder and offered as a download link."""
    app.csv_button.click()
    name = f"caseload-{__import__('datetime').date.today().isoformat()}.csv"
    assert (case_home.parent / "exports" / name).read_text().startswith("section,item,value")
    assert "cm-download" in app.link.value


def test_empty_folder(tmp_path, monkeypatch):
    """An empty folder gives zero cases and no chart, without an error."""
    monkeypatch.setenv("CASEMAP_HOME", str(tmp_path))
    app = CaseloadApp()
    assert repr(app).startswith("Caseload: 0 cases")
    assert app.chart.layout.display == "none"
