"""Production sign-in on a real hub: NativeAuthenticator sign-up, approval, account managers.

The hub keeps production's authenticator (only spawner, database and ports are test settings).
Carol signs up and must wait; Maria, the account manager, approves her; then Maria can manage
Carol's account and server but cannot open Carol's server or act as her.
"""

import secrets
import time
from dataclasses import dataclass

import pytest

from tests.deploy.hubharness import LocalHub, api_token, loopback_page, submit_login

pytestmark = pytest.mark.hub
expect = pytest.importorskip("playwright.sync_api").expect


@dataclass
class Account:
    name: str
    password: str
    context: object  # playwright BrowserContext


def sign_up(context, hub: LocalHub, name: str, password: str) -> str:
    """Send the sign-up form; return the message the page shows."""
    page = loopback_page(context, hub)
    page.goto(f"{hub.url}/hub/signup", wait_until="domcontentloaded")
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.fill("#password_confirmation_input", password)
    page.click("#signup_submit")
    message = page.locator(".alert").first
    expect(message).to_be_visible()
    text = message.inner_text()
    page.close()
    return text


def log_in(account: Account, hub: LocalHub, next_url: str = "/hub/home"):
    """Log in without starting a server (``next`` points at a hub page); return the page."""
    page = loopback_page(account.context, hub)
    submit_login(page, hub, account.name, account.password, next_url)
    page.wait_for_load_state("domcontentloaded")
    return page


@pytest.fixture(scope="module")
def accounts(native_hub, chromium):
    """Maria (account manager) and Carol (consultant), both signed up; Carol not yet approved."""
    people = {
        name: Account(name, f"{name}-{secrets.token_urlsafe(12)}", chromium.new_context())
        for name in ("maria", "carol")
    }
    yield people
    for person in people.values():
        person.context.close()


def test_sign_up_waits_for_approval(native_hub, accounts):
    """Carol's sign-up is held for approval, and she cannot log in until it is given."""
    carol = accounts["carol"]
    assert "sent to the admin" in sign_up(carol.context, native_hub, carol.name, carol.password)
    page = log_in(carol, native_hub)
    assert page.url.startswith(f"{native_hub.url}/hub/login")
    expect(page.locator("#login-main")).to_be_visible()
    page.close()


def test_account_manager_approves(native_hub, accounts):
    """Maria needs no approval; on the authorisation page she approves Carol, who can log in."""
    maria, carol = accounts["maria"], accounts["carol"]
    sign_up(maria.context, native_hub, maria.name, maria.password)
    page = log_in(maria, native_hub, "/hub/authorize")
    page.wait_for_url(f"{native_hub.url}/hub/authorize**")
    page.click(f"a[href$='authorize/{carol.name}']")
    page.close()
    page = log_in(carol, native_hub)
    page.wait_for_url(f"{native_hub.url}/hub/home**")
    page.close()


def wait_until_ready(hub: LocalHub, user: str, auth: dict, context, timeout: float = 90) -> None:
    """Poll the hub's API until the user's server answers (no assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = context.request.get(f"{hub.url}/hub/api/users/{user}", headers=auth).json()
        if info.get("servers", {}).get("", {}).get("ready"):
            return
        time.sleep(0.5)
    raise TimeoutError(f"{user}'s server did not become ready in {timeout}s")


def test_account_manager_manages_but_cannot_open(native_hub, accounts):
    """Maria sees the admin page and starts and stops Carol's server, but is refused (403) on
    Carol's server and cannot mint a token as Carol; Carol herself is let in."""
    maria, carol = accounts["maria"], accounts["carol"]
    url = native_hub.url
    assert maria.context.request.get(f"{url}/hub/admin").status == 200
    auth = {"Authorization": f"token {api_token(maria.context, native_hub, maria.name)}"}
    started = maria.context.request.post(f"{url}/hub/api/users/carol/server", headers=auth)
    assert started.status in (201, 202), started.text()
    wait_until_ready(native_hub, "carol", auth, maria.context)
    native_hub.remember_processes()

    for path in ("user/carol/lab", "user/carol/api/contents"):
        own = carol.context.request.get(f"{url}/{path}")
        assert own.status == 200, f"control: Carol could not reach her own {path}: {own.status}"
        refused = maria.context.request.get(f"{url}/{path}")
        assert refused.status == 403, f"Maria reached Carol's {path}: {refused.status}"
        refused = maria.context.request.get(f"{url}/{path}", headers=auth)
        assert refused.status == 403, f"Maria's token reached Carol's {path}: {refused.status}"
    minted = maria.context.request.post(f"{url}/hub/api/users/carol/tokens", headers=auth)
    assert minted.status in (403, 404), f"Maria minted a token as Carol: {minted.status}"

    stopped = maria.context.request.delete(f"{url}/hub/api/users/carol/server", headers=auth)
    assert stopped.status in (202, 204), stopped.text()
