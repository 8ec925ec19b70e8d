"""The consultation workbook in a real browser, served by Voila with the repository's voila.json."""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from casemap.render.audience import AUDIENCE_LABELS

pytestmark = pytest.mark.browser

CASE = "demo-03"
BEHAVIOUR = "The father told Child B that her mother would be sent away if she spoke to anyone."
BLAMING = "Mother failed to protect the children from the volatile relationship."


def case_on_disk(voila) -> dict:
    return json.loads((voila.home / "demo" / f"{CASE}.json").read_text())


def open_case(page, voila, case_id: str = CASE):
    page.goto(
        f"{voila.url}/voila/render/consultation.ipynb?case={case_id}", wait_until="domcontentloaded"
    )
    page.locator(".cm-app .cm-header").wait_for(state="visible")


def go(page, step: str):
    page.locator(f".cm-step-{step}").click()
    page.locator(f".cm-step-view-{step}").wait_for(state="visible")


def timeline_src(page) -> str:
    image = page.locator(".cm-timeline-image")
    expect(image).to_have_attribute("src", re.compile(r"^blob:|^data:"))
    return image.get_attribute("src")


def test_consultation_round_trip(page, voila, shoot):
    """Add a behaviour, see the panels change, check the lens, export, reload: all in a browser."""
    open_case(page, voila)
    findings = page.locator(".cm-findings")
    expect(findings).to_contain_text("Child B appears in his behaviours only as present")
    expect(page.locator(".cm-save-state")).to_contain_text("Saved · revision 0")
    shoot(page, "01-case-and-people")

    go(page, "timeline")
    before = timeline_src(page)
    shoot(page, "08-timeline-before")

    go(page, "pattern")
    editor = page.locator(".cm-behaviour-editor")
    editor.locator(".cm-field-category select").select_option("Using the children")
    editor.locator(".cm-field-description textarea").fill(BEHAVIOUR)
    editor.locator(".cm-field-when input").fill("2024-03~")
    expect(editor.locator(".cm-date-feedback")).to_contain_text("about March 2024")
    editor.locator(".cm-field-targets").get_by_role("button", name="Child B").click()
    editor.locator(".cm-field-source select").select_option("Child")
    shoot(page, "02-his-pattern-form")
    editor.locator(".cm-add").click()
    expect(editor.locator(".cm-form-status")).to_contain_text("Added")
    expect(page.locator(".cm-save-state")).to_contain_text("Saved · revision 1")
    expect(editor.locator(".cm-record-list")).to_contain_text("2024-03~ · Using the children")
    expect(findings).not_to_contain_text("Child B appears in his behaviours only as present")
    expect(findings).to_contain_text("Child C appears in his behaviours only as present")
    shoot(page, "02-his-pattern-added")

    go(page, "timeline")
    expect(page.locator(".cm-timeline-image")).not_to_have_attribute("src", before)
    shoot(page, "08-timeline-after")

    go(page, "pattern")
    editor.locator(".cm-field-description textarea").fill(BLAMING)
    lens = editor.locator(".cm-lens").first
    expect(lens).to_contain_text("Wording to reconsider")
    expect(lens).to_contain_text("failed to protect")
    shoot(page, "02-language-lens")
    editor.locator(".cm-field-description textarea").fill("")

    go(page, "efforts")
    efforts = page.locator(".cm-effort-editor")
    efforts.locator(".cm-field-category select").select_option("Safety planning")
    expect(efforts.locator(".cm-confidential-badge")).to_contain_text("Survivor-confidential")
    shoot(page, "04-her-protective-efforts")

    go(page, "intersections")
    expect(page.locator(".cm-restricted-banner")).to_contain_text("Restricted section")
    shoot(page, "06-intersections-worker-safety")

    for step, name in [
        ("people", "01-people"),
        ("child_harm", "03-his-actions-children"),
        ("impact", "05-impact"),
        ("plans", "07-statements-plans"),
    ]:
        go(page, step)
        shoot(page, name)

    go(page, "summary")
    export = page.locator(".cm-export")
    export.locator(".cm-audience select").select_option(AUDIENCE_LABELS["case-record"])
    export.locator(".cm-format select").select_option("html")
    export.locator(".cm-prepare").click()
    link = export.locator("a.cm-download")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href.startswith("data:text/html;base64,")
    summary = base64.b64decode(href.split(",", 1)[1]).decode("utf-8")
    assert "would be sent away if she spoke to anyone" in summary
    confidential = [
        e["description"] for e in case_on_disk(voila)["efforts"] if e.get("confidential")
    ]
    assert confidential and not any(text in summary for text in confidential)
    assert link.get_attribute("download").startswith(f"{CASE}-case-record-")
    expect(export.locator(".cm-export-saved")).to_contain_text("exports folder")
    assert list(voila.exports.glob(f"{CASE}-case-record-*.html"))
    shoot(page, "09-summary")

    open_case(page, voila)
    go(page, "pattern")
    expect(page.locator(".cm-behaviour-editor .cm-record-list")).to_contain_text(
        "2024-03~ · Using the children"
    )
    assert any(b["description"] == BEHAVIOUR for b in case_on_disk(voila)["behaviours"])

    problems = [m for m in page.console_messages if "Failed to load model class" in m]
    assert problems == []


def test_unknown_case_shows_message_and_case_list(page, voila, shoot):
    """?case= naming no case shows a calm message, the case list and the new-case controls."""
    page.goto(
        f"{voila.url}/voila/render/consultation.ipynb?case=no-such-case",
        wait_until="domcontentloaded",
    )
    expect(page.locator(".cm-message")).to_contain_text("There is no case")
    expect(page.locator(".cm-case-list")).to_contain_text("demo-01")
    expect(page.locator(".cm-new-title input")).to_be_visible()
    expect(page.locator(".cm-new-case")).to_be_visible()
    shoot(page, "00-unknown-case")


def test_start_page_lists_cases_and_creates_one(page, voila, shoot):
    """The start page links each case to the workbook and starts a new case."""
    page.goto(f"{voila.url}/voila/render/index.ipynb", wait_until="domcontentloaded")
    link = page.locator(".cm-case-list a[data-case='demo-02']")
    expect(link).to_have_attribute("href", "consultation.ipynb?case=demo-02")
    page.locator(".cm-new-title input").fill("Browser test case")
    page.locator(".cm-new-case").click()
    expect(page.locator(".cm-case-list")).to_contain_text("Browser test case")
    shoot(page, "00-start-page")
    page.locator("a.cm-open-new").click()
    expect(page.locator(".cm-case-heading")).to_contain_text("Browser test case")


ROUTES = [
    "/voila/files/casefiles/demo/{case}.json",
    "/voila/files/../casefiles/demo/{case}.json",
    "/voila/files/%2e%2e/casefiles/demo/{case}.json",
    "/voila/files/%2E%2E%2Fcasefiles%2Fdemo%2F{case}.json",
    "/voila/files/..%2f..%2fcasefiles/demo/{case}.json",
    "/voila/files/{home}/demo/{case}.json",
    "/voila/files//{home}/demo/{case}.json",
    "/voila/files/{exports}",
    "/files/casefiles/demo/{case}.json",
    "/files/{home}/demo/{case}.json",
    "/api/contents/casefiles/demo/{case}.json",
    "/voila/api/contents/../casefiles/demo/{case}.json",
    "/voila/api/contents/%2e%2e/casefiles/demo",
    "/voila/render/../casefiles/demo/{case}.json",
    "/voila/render/..%2Fcasefiles%2Fdemo%2F{case}.json",
    "/voila/tree/..%2Fcasefiles",
    "/voila/static/..%2F..%2F..%2Fcasefiles/demo/{case}.json",
    "/voila/templates/..%2F..%2Fcasefiles/demo/{case}.json",
    "/voila/files/conftest.py",
    "/voila/files/consultation.ipynb",
]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=20) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@pytest.mark.parametrize("route", ROUTES)
def test_casefiles_and_exports_never_served(voila, route):
    """No route returns a casefile, an export or a notebook's source, path tricks included."""
    (voila.exports).mkdir(parents=True, exist_ok=True)
    (voila.exports / "secret-export.html").write_text("SECRET-EXPORT-CONTENT")
    case_text = (voila.home / "demo" / f"{CASE}.json").read_text()
    marker = json.loads(case_text)["behaviours"][0]["description"]
    url = voila.url + route.format(
        case=CASE,
        home=str(voila.home).lstrip("/"),
        exports=str(voila.exports / "secret-export.html").lstrip("/"),
    )
    status, body = fetch(url)
    text = body.decode("utf-8", "replace")
    assert marker not in text
    assert "SECRET-EXPORT-CONTENT" not in text
    assert "from widgets" not in text
    assert status != 200 or "casemap/1" not in text


def test_contents_api_lists_no_casefiles(voila):
    """Voila's contents listing shows the notebooks only, never casefiles."""
    status, body = fetch(voila.url + "/voila/api/contents")
    names = {item["name"] for item in json.loads(body)["content"]}
    assert {"index.ipynb", "consultation.ipynb"} <= names
    assert all(name.endswith(".ipynb") for name in names)


def test_rendered_page_hides_sources_and_tracebacks(voila):
    """The served page carries no notebook source, and a bad id gives no traceback."""
    status, body = fetch(voila.url + "/voila/render/consultation.ipynb?case=%3Cscript%3E")
    text = body.decode()
    assert status == 200
    assert "open_from_url" not in text
    assert "Traceback" not in text


def test_two_tabs_conflict_is_shown_and_both_kept(browser, voila, shoot):
    """A stale save from a second tab shows the conflict and overwrites nothing."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    first, second = context.new_page(), context.new_page()
    try:
        for page in (first, second):
            open_case(page, voila, "demo-02")
        for page, text in (
            (first, "First tab: he followed her home."),
            (second, "Second tab: he called her workplace."),
        ):
            go(page, "pattern")
            editor = page.locator(".cm-behaviour-editor")
            editor.locator(".cm-field-description textarea").fill(text)
            editor.locator(".cm-add").click()
        expect(first.locator(".cm-save-state")).to_contain_text("Saved · revision 1")
        expect(second.locator(".cm-message")).to_contain_text("Someone else saved this case")
        expect(second.locator(".cm-keep-mine")).to_be_visible()
        expect(second.locator(".cm-reload-theirs")).to_be_visible()
        shoot(second, "00-conflict")
        theirs = json.loads((voila.home / "demo" / "demo-02.json").read_text())
        assert any(b["description"].startswith("First tab") for b in theirs["behaviours"])
        copies = list((voila.home / "demo").glob("demo-02-copy-*.json"))
        assert len(copies) == 1
        assert "Second tab" in copies[0].read_text()
    finally:
        first.close(run_before_unload=True)
        second.close(run_before_unload=True)
        context.close()


def test_a_lost_kernel_is_announced_calmly(page, voila, shoot):
    """No banner while the workbook is alive; when its kernel dies, a banner says what to do."""
    import psutil

    open_case(page, voila, "demo-02")
    banner = page.locator("#cm-connection-lost")
    page.wait_for_timeout(9_000)  # two of the page's checks of its kernel
    expect(banner).to_be_hidden()
    kernel = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
    voila_process = psutil.Process(voila.process.pid)
    found = [p for p in voila_process.children(recursive=True) if kernel in " ".join(p.cmdline())]
    assert len(found) == 1, [p.cmdline() for p in voila_process.children(recursive=True)]
    found[0].kill()  # as the out-of-memory killer would
    expect(banner).to_be_visible(timeout=20_000)
    expect(banner).to_contain_text("Everything shown as “Saved” is safe on disk")
    shoot(page, "10-connection-lost")
    asked = []  # a lost page stops asking after its kernel, so the hub may cull the server
    page.on("request", lambda r: asked.append(r.url) if "/api/kernels/" in r.url else None)
    page.wait_for_timeout(9_000)
    assert asked == []
