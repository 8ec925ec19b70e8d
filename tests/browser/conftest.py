"""Voila started by the test on a free loopback port, and Debian's Chromium driven by Playwright.

Voila reads the repository's ``voila.json`` (the settings under test) and nothing from the
user's Jupyter configuration; ``CASEMAP_HOME`` and ``CASEMAP_EXPORTS`` point at temporary copies
of the demo cases. Tests are skipped, not failed, when Chromium is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import CHROMIUM, CHROMIUM_ARGS, free_port

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "browser"
@dataclass
class VoilaServer:
    url: str
    home: Path
    exports: Path
    process: subprocess.Popen
    log: Path


def start_voila(tmp: Path, notebooks: Path | None = None, port: int | None = None) -> VoilaServer:
    """Voila on 127.0.0.1 with the repository's voila.json; returns once it answers."""
    port = port or free_port()
    home, exports = tmp / "casefiles", tmp / "exports"
    if not home.exists():
        shutil.copytree(REPO / "casefiles" / "demo", home / "demo")
    env = {**os.environ, "CASEMAP_HOME": str(home), "CASEMAP_EXPORTS": str(exports)}
    env.pop("QUERY_STRING", None)
    log = tmp / f"voila-{port}.log"
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("voila")),
            str(notebooks or REPO / "notebooks"),
            f"--port={port}",
            "--no-browser",
            f"--Voila.config_file_paths={REPO}",  # voila.json from the repository only
        ],
        cwd=REPO,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"voila exited: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url + "/voila/api/contents", timeout=2).read()
            return VoilaServer(url, home, exports, process, log)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("voila did not answer within 60 s")


def stop_voila(server: VoilaServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    server = start_voila(tmp_path_factory.mktemp("voila"))
    yield server
    stop_voila(server)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import expect, sync_playwright

    # A page load starts a kernel and runs the notebook: on a busy machine that takes longer
    # than expect()'s default of 5 s.
    expect.set_options(timeout=60_000)

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, voila):
    """A fresh page that only reaches the loopback server and records console messages."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.console_messages = []
    page.on("console", lambda msg: page.console_messages.append(f"{msg.type}: {msg.text}"))
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("http://127.0.0.1")
            or route.request.url.startswith("data:")
            else route.abort()
        ),
    )
    yield page
    page.close(run_before_unload=True)
    context.close()


@pytest.fixture
def shoot():
    """Save a full-page screenshot as a test artifact: ``shoot(page, "01-open")``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        # Voila's page scrolls inside its own container, so a full-page screenshot would stop
        # at the window: grow the window to the workbook's height for the picture instead.
        path = ARTIFACTS / f"{name}.png"
        size = page.viewport_size
        height = page.evaluate(
            "() => Math.max(600, ...[...document.querySelectorAll('.cm-app')]"
            ".map(e => e.scrollHeight))"
        )
        page.set_viewport_size({"width": size["width"], "height": min(int(height) + 80, 4000)})
        page.wait_for_timeout(150)
        page.screenshot(path=str(path))
        page.set_viewport_size(size)
        return path

    return take
