"""A loopback JupyterHub with two consultants, and a headless Chromium, shared by the hub tests."""

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.deploy.hubharness import PROXY, REPO, LocalHub, launch_chromium

USERS = ["alice", "bob"]
NOTEBOOKS = Path(os.environ.get("CASEMAP_TEST_NOTEBOOKS", REPO / "notebooks"))


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """JupyterHub from the test config, serving notebooks/; stopped with all it started."""
    pytest.importorskip("jupyterhub", reason="needs the hub extra: pip install -e '.[hub]'")
    if not PROXY.exists():
        pytest.skip(f"{PROXY} is missing: run `make node_modules` (npm ci)")
    if not (NOTEBOOKS / "consultation.ipynb").exists():
        pytest.skip(f"the consultation workbook is not in {NOTEBOOKS} yet")
    local = LocalHub(tmp_path_factory.mktemp("hub"), NOTEBOOKS, USERS)
    try:
        local.start()
        yield local
    finally:
        survivors = local.stop()
        # Shown with the test report when a test failed: what the hub and the servers said.
        print(local.log(tail=80), file=sys.stderr)
        assert not survivors, f"processes the hub started are still running: {survivors}"


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright; skipped where there is none."""
    if not shutil.which("chromium") and not shutil.which("/usr/bin/chromium"):
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    playwright = sync_api.sync_playwright().start()
    try:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
