"""Fixtures for widget tests: a temporary copy of the demo cases, and an app built on one."""

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def case_home(tmp_path, monkeypatch):
    """CASEMAP_HOME and CASEMAP_EXPORTS pointing at a temporary copy of the demo cases."""
    home = tmp_path / "casefiles"
    shutil.copytree(REPO / "casefiles" / "demo", home / "demo")
    monkeypatch.setenv("CASEMAP_HOME", str(home))
    monkeypatch.setenv("CASEMAP_EXPORTS", str(tmp_path / "exports"))
    monkeypatch.delenv("QUERY_STRING", raising=False)
    return home


@pytest.fixture
def demo_path(case_home):
    return sorted((case_home / "demo").glob("*.json"))[0]


@pytest.fixture
def app(demo_path):
    from widgets.apps import ConsultationApp

    return ConsultationApp(demo_path)
