"""A throwaway JupyterHub on loopback, started from tests/deploy/jupyterhub_test_config.py.

Used by the hub test and by deploy/measure_memory.py. ``LocalHub.stop`` ends every process the
hub started (proxy, idle culler, single-user servers, their kernels), even after a crash.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import psutil

from tests.support import CHROMIUM_ARGS, free_port

REPO = Path(__file__).resolve().parents[2]
TEST_CONFIG = Path(__file__).with_name("jupyterhub_test_config.py")
PROXY = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
class LocalHub:
    """JupyterHub, its proxy and the users' servers, all under one temporary folder."""

    def __init__(
        self,
        root: Path,
        notebooks: Path,
        users: Sequence[str] = (),
        *,
        authenticator: str = "shared-password",
        account_managers: Sequence[str] = (),
    ):
        """``users`` may sign in with ``password`` (shared-password); with
        ``authenticator="native"`` the production sign-up and approval are used instead."""
        self.root = Path(root)
        self.notebooks = Path(notebooks)
        self.users = list(users)
        self.authenticator = authenticator
        self.account_managers = list(account_managers)
        self.password = secrets.token_urlsafe(16)
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log_path = self.root / "jupyterhub.log"
        self.proc: subprocess.Popen | None = None
        self._seen: dict[int, psutil.Process] = {}

    def home(self, user: str) -> Path:
        return self.root / "home" / user

    def casefiles(self, user: str) -> Path:
        """Where the production config points CASEMAP_HOME for this user."""
        return self.home(user) / "casefiles"

    def start(self, timeout: float = 60) -> None:
        env = {
            **os.environ,
            "CASEMAP_TEST_HUB_DIR": str(self.root),
            "CASEMAP_TEST_HUB_PASSWORD": self.password,
            "CASEMAP_TEST_HUB_USERS": ",".join(self.users),
            "CASEMAP_TEST_HUB_AUTH": self.authenticator,
            "CASEMAP_HUB_ADMINS": ",".join(self.account_managers),
            "CASEMAP_TEST_HUB_API_PORT": str(free_port()),
            "CASEMAP_TEST_PROXY_API_PORT": str(free_port()),
            "CASEMAP_HUB_BIND_URL": self.url,
            "CASEMAP_NOTEBOOKS": str(self.notebooks),
            # A long timeout: the culler runs (its config is under test) but stops nobody.
            "CASEMAP_HUB_IDLE_TIMEOUT": "3600",
        }
        for leaked in (
            "CASEMAP_HOME",
            "CASEMAP_EXPORTS",
            "CASEMAP_HUB_AUTH",
            "CASEMAP_HUB_SITE_CONFIG",
            "JUPYTERHUB_API_TOKEN",
        ):
            env.pop(leaked, None)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(TEST_CONFIG)],
                cwd=self.root,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=2) as r:
                    if r.status == 200:
                        self.remember_processes()
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise TimeoutError(f"JupyterHub did not answer within {timeout}s:\n{self.log()}")

    def log(self, tail: int = 60) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-tail:])

    def remember_processes(self) -> list[psutil.Process]:
        """Every process the hub started so far, including servers in their own sessions."""
        if self.proc is None:
            return []
        try:
            hub = psutil.Process(self.proc.pid)
            found = [hub, *hub.children(recursive=True)]
        except psutil.NoSuchProcess:
            found = []
        # A server whose parent died is re-parented away from the hub; its working folder
        # (a home under our temporary folder) still gives it away.
        for p in psutil.process_iter(["cwd"]):
            cwd = p.info.get("cwd") or ""
            if cwd.startswith(str(self.root)):
                found.append(p)
                try:
                    found.extend(p.children(recursive=True))
                except psutil.NoSuchProcess:
                    pass
        for p in found:
            self._seen.setdefault(p.pid, p)
        return list(self._seen.values())

    def server_processes(self, user: str) -> list[psutil.Process]:
        """The user's single-user server and every process under it (their kernels)."""
        home = str(self.home(user))
        for p in self.remember_processes():
            try:
                if p.cwd() == home and "jupyterhub.singleuser" in " ".join(p.cmdline()):
                    return [p, *p.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
        return []

    def stop(self) -> list[psutil.Process]:
        """End the hub gracefully, then anything it started; return any that survived."""
        procs = self.remember_processes()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        alive = [p for p in procs if p.is_running()]
        for p in alive:
            try:
                p.terminate()
            except psutil.NoSuchProcess:
                pass
        _, alive = psutil.wait_procs(alive, timeout=5)
        for p in alive:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(alive, timeout=5)
        return [p for p in procs if _running(p)]


def _running(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def launch_chromium(playwright):
    """Debian's Chromium, headless, with nothing phoning home."""
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)


def loopback_page(context, hub: LocalHub):
    """A new page that may reach the loopback hub only (CDN fonts would stall `load`)."""
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(hub.url) else route.abort(),
    )
    return page


def submit_login(page, hub: LocalHub, user: str, password: str, next_url: str = "") -> None:
    """Fill and send the hub's login form (the built-in one or NativeAuthenticator's)."""
    query = f"?next={next_url}" if next_url else ""
    page.goto(f"{hub.url}/hub/login{query}", wait_until="domcontentloaded")
    page.fill("#username_input", user)
    page.fill("#password_input", password)
    page.click("#login_submit")


def sign_in(context, hub: LocalHub, user: str, timeout_ms: float = 120_000):
    """Sign in on the hub's login page; return the page once the hub sent us to the workbook."""
    page = loopback_page(context, hub)
    submit_login(page, hub, user, hub.password)
    page.wait_for_url(f"{hub.url}/user/{user}/voila/**", timeout=timeout_ms)
    return page


def api_token(context, hub: LocalHub, user: str) -> str:
    """A hub API token for the signed-in user, minted with their browser session.

    The hub accepts a session cookie on API writes only with its XSRF token beside it.
    """
    cookies = context.cookies(f"{hub.url}/hub/")
    xsrf = next((c["value"] for c in cookies if c["name"] == "_xsrf" and c["path"] == "/hub/"), "")
    response = context.request.post(
        f"{hub.url}/hub/api/users/{user}/tokens",
        headers={"X-XSRFToken": xsrf},
        data={"note": "hub test"},
    )
    if not response.ok:
        raise RuntimeError(f"no API token for {user}: {response.status} {response.text()}")
    return response.json()["token"]
