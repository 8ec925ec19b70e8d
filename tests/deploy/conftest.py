"""Loopback JupyterHubs from the test config, and a headless Chromium, for the hub tests."""

import shutil
import sys

import pytest

from tests.deploy.hubharness import PROXY, REPO, LocalHub, launch_chromium

USERS = ["alice", "bob"]
NOTEBOOKS = REPO / "notebooks"


def running_hub(local: LocalHub):
    """Start the hub; afterwards stop it and fail if anything it started is still running."""
    pytest.importorskip("jupyterhub", reason="needs the hub extra: pip install -e '.[hub]'")
    if not PROXY.exists():
        pytest.skip(f"{PROXY} is missing: run `npm ci` in the repository (make test does)")
    if not (NOTEBOOKS / "consultation.ipynb").exists():
        pytest.skip(f"the consultation workbook is not in {NOTEBOOKS}")
    try:
        local.start()
        yield local
    finally:
        survivors = local.stop()
        # Shown with the test report when a test failed: what the hub and the servers said.
        print(local.log(tail=80), file=sys.stderr)
        assert not survivors, f"processes the hub started are still running: {survivors}"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """JupyterHub from the test config with a shared test password for alice and bob."""
    yield from running_hub(LocalHub(tmp_path_factory.mktemp("hub"), NOTEBOOKS, USERS))


@pytest.fixture(scope="module")
def native_hub(tmp_path_factory):
    """JupyterHub from the test config keeping production's NativeAuthenticator sign-up;
    maria is the account manager."""
    local = LocalHub(
        tmp_path_factory.mktemp("native-hub"),
        NOTEBOOKS,
        authenticator="native",
        account_managers=["maria"],
    )
    yield from running_hub(local)


@pytest.fixture(scope="session")
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
