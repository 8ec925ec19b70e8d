"""Two consultants on a real JupyterHub: sign in through the login page, work, and stay apart.

The hub runs the production config with test overrides (jupyterhub_test_config.py): a shared
test password, the local-process spawner (one Unix user, a home folder per consultant) and
configurable-http-proxy from node_modules. Alice and Bob each sign in with Chromium, land in the
consultation workbook and create a case; then Bob tries to reach Alice's case, server and files.
"""

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from casemap import store
from tests.deploy.hubharness import REPO, LocalHub, api_token, loopback_page, submit_login

pytestmark = pytest.mark.hub
expect = pytest.importorskip("playwright.sync_api").expect

WORKBOOK = "voila/render/consultation.ipynb"
START_PAGE = "voila/render/index.ipynb"  # the list of all cases
# Rendering a Voila page starts a kernel and runs the notebook: slow on a shared machine.
UI_TIMEOUT_MS = 90_000


@dataclass
class Consultant:
    name: str
    context: object  # playwright BrowserContext: its own cookies, so its own sign-in
    page: object
    case_id: str
    title: str


def case_ids(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {entry.case.case_id for entry in store.list_cases(folder) if entry.case}


def wait_for_new_case(folder: Path, known: set[str], timeout: float = 60) -> str:
    """The id of the casefile that appeared in ``folder`` after a click (polls, no assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = case_ids(folder) - known
        if new:
            (case_id,) = new
            return case_id
        time.sleep(0.25)
    raise TimeoutError(f"no new casefile in {folder} after {timeout}s")


def create_case(hub: LocalHub, page, name: str) -> tuple[str, str]:
    """Create a case through the workbook's new-case form; return its id and title."""
    expect(page.locator(".cm-case-list")).to_be_visible(timeout=UI_TIMEOUT_MS)
    # A fictional title that appears nowhere else, so any leak of it is unmistakable.
    title = f"Hub test case of {name} {secrets.token_hex(4)}"
    known = case_ids(hub.casefiles(name))
    page.locator(".cm-new-title input").fill(title)
    page.locator(".cm-new-title input").press("Enter")
    page.locator(".cm-new-case").click()
    case_id = wait_for_new_case(hub.casefiles(name), known)
    expect(page.locator(".cm-case-list")).to_contain_text(case_id, timeout=UI_TIMEOUT_MS)
    return case_id, title


@pytest.fixture(scope="module")
def consultants(hub, chromium) -> dict[str, Consultant]:
    """Alice and Bob, signed in on the login page, each with one new case in the workbook."""
    names = ("alice", "bob")
    contexts = {name: chromium.new_context() for name in names}
    pages = {name: loopback_page(contexts[name], hub) for name in names}
    for name in names:  # both servers start at once: the hub spawns them concurrently
        submit_login(pages[name], hub, name, hub.password)
    people = {}
    for name in names:
        pages[name].wait_for_url(f"{hub.url}/user/{name}/voila/**", timeout=UI_TIMEOUT_MS)
        case_id, title = create_case(hub, pages[name], name)
        people[name] = Consultant(name, contexts[name], pages[name], case_id, title)
    hub.remember_processes()  # the servers just spawned: so teardown ends them even after a crash
    yield people
    for context in contexts.values():
        context.close()


def test_sign_in_lands_in_the_workbook(hub, consultants):
    """After signing in, each consultant is sent to the consultation workbook on their server."""
    for name, person in consultants.items():
        assert person.page.url.startswith(f"{hub.url}/user/{name}/{WORKBOOK}")


def test_idle_culler_runs(hub):
    """The production config's idle-culler service is running beside the hub."""
    running = [p for p in hub.remember_processes() if p.is_running()]
    assert any("jupyterhub_idle_culler" in " ".join(p.cmdline()) for p in running)


def test_wrong_password_is_refused(hub, chromium):
    """The hub's login page turns away a known user with the wrong password."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded")
        page.fill("#username_input", "alice")
        page.fill("#password_input", "not-the-password")
        page.click("#login_submit")
        expect(page.locator("#login-main")).to_contain_text("Invalid username or password")
        assert "/user/" not in page.url
    finally:
        context.close()


def test_casefiles_are_written_to_each_consultants_home(hub, consultants):
    """Each new casefile lands in its author's own CASEMAP_HOME and nowhere else."""
    alice, bob = consultants["alice"], consultants["bob"]
    assert store.find_case(alice.case_id, hub.casefiles("alice")) is not None
    assert store.find_case(bob.case_id, hub.casefiles("bob")) is not None
    assert store.find_case(alice.case_id, hub.casefiles("bob")) is None
    assert store.find_case(bob.case_id, hub.casefiles("alice")) is None
    assert store.find_case(alice.case_id, REPO / "casefiles") is None


def test_case_list_shows_only_own_cases(hub, consultants):
    """On the start page Bob's case list shows his case and not Alice's, and the reverse."""
    alice, bob = consultants["alice"], consultants["bob"]
    for person, other in ((bob, alice), (alice, bob)):
        page = person.context.new_page()
        page.goto(f"{hub.url}/user/{person.name}/{START_PAGE}", wait_until="domcontentloaded")
        case_list = page.locator(".cm-case-list")
        expect(case_list).to_contain_text(person.case_id, timeout=UI_TIMEOUT_MS)
        expect(case_list).not_to_contain_text(other.case_id)
        expect(page.locator("body")).not_to_contain_text(other.title)
        page.close()


def test_case_link_to_another_consultants_case_is_refused(hub, consultants):
    """Bob opening ?case=<Alice's id> gets a calm refusal and none of her case; Alice gets it."""
    alice, bob = consultants["alice"], consultants["bob"]
    link = f"{WORKBOOK}?case={alice.case_id}"
    own = alice.context.new_page()
    own.goto(f"{hub.url}/user/alice/{link}", wait_until="domcontentloaded")
    expect(own.locator(".cm-case-heading")).to_contain_text(alice.title, timeout=UI_TIMEOUT_MS)
    own.close()
    page = bob.context.new_page()
    page.goto(f"{hub.url}/user/bob/{link}", wait_until="domcontentloaded")
    expect(page.locator(".cm-case-list")).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page.locator(".cm-message")).not_to_be_empty()
    expect(page.locator(".cm-case-heading")).to_have_count(0)
    expect(page.locator(".cm-case-list")).not_to_contain_text(alice.case_id)
    expect(page.locator("body")).not_to_contain_text(alice.title)
    page.close()


# Alice's server as Bob would address it: the workbook, the Jupyter file and kernel APIs, raw
# files and JupyterLab. Alice reaching the same URL is the control that the URL is real.
ALICE_URLS = [
    f"user/alice/{WORKBOOK}",
    f"user/alice/{WORKBOOK}?case=CASE_ID",
    "user/alice/api/contents",
    "user/alice/api/kernels",
    "user/alice/files/consultation.ipynb",
    "user/alice/lab",
]


@pytest.mark.parametrize("path", ALICE_URLS)
def test_requests_for_another_consultants_server_are_refused(hub, consultants, path):
    """Bob's browser session is refused (403) on Alice's server; Alice's own session is let in."""
    alice, bob = consultants["alice"], consultants["bob"]
    url = f"{hub.url}/{path.replace('CASE_ID', alice.case_id)}"
    own = alice.context.request.get(url)
    assert own.status == 200, f"control: Alice could not reach her own {path}: {own.status}"
    refused = bob.context.request.get(url)
    assert refused.status == 403, f"Bob reached Alice's {path}: {refused.status}"
    assert alice.case_id not in refused.text() and alice.title not in refused.text()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "hub/api/users/alice"),
        ("post", "hub/api/users/alice/server"),
        ("delete", "hub/api/users/alice/server"),
        ("post", "hub/api/users/alice/tokens"),
    ],
)
def test_hub_api_refuses_another_consultants_account(hub, consultants, method, path):
    """Bob cannot read Alice's account, start or stop her server, or mint a token as her."""
    bob = consultants["bob"]
    # Bob's own token carries everything Bob may do, so it is the strongest thing he has.
    auth = {"Authorization": f"token {api_token(bob.context, hub, 'bob')}"}
    control = bob.context.request.get(f"{hub.url}/hub/api/users/bob", headers=auth)
    assert control.status == 200, f"control: Bob's token cannot read his account: {control.status}"
    response = getattr(bob.context.request, method)(f"{hub.url}/{path}", headers=auth)
    assert response.status in (403, 404), f"{method.upper()} {path} as Bob: {response.status}"
