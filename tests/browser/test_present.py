"""The trainer presentation in a real browser: arrow keys step through, and no name is on screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from casemap import store

pytestmark = pytest.mark.browser

CASE = "demo-03"


def names_of(voila) -> list[str]:
    case = store.load(voila.home / "demo" / f"{CASE}.json")
    return [n for p in case.people for n in [p.name, *p.aliases] if n.strip()]


def names_on_screen(page, names: list[str]) -> list[str]:
    text = page.locator("body").inner_text()
    return [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.I)]


def test_step_through_with_masking_shows_no_name(page, voila, shoot):
    """Arrow keys move through every step; with the mask on, no name or alias is ever shown."""
    names = names_of(voila)
    page.goto(f"{voila.url}/voila/render/present.ipynb?case={CASE}", wait_until="domcontentloaded")
    counter = page.locator(".cm-present-count")
    expect(counter).to_contain_text("Step 1 of ")
    total = int(re.search(r"of (\d+)", counter.inner_text()).group(1))
    expect(page.locator(".cm-present-mask")).to_have_class(re.compile("mod-active"))
    # Masked from the first moment, on every step, moved by the keyboard.
    for step in range(1, total + 1):
        expect(counter).to_have_text(f"Step {step} of {total}")
        assert names_on_screen(page, names) == [], f"step {step}"
        if step == 4:
            expect(page.locator(".cm-present-timeline")).to_be_visible()
            page.wait_for_timeout(2000)  # the picture follows the text by a moment
            shoot(page, "present-01-masked-step-4")
        if step < total:
            page.keyboard.press("ArrowRight")
    expect(page.locator(".cm-present-record")).to_contain_text("What is missing?")
    expect(page.locator(".cm-present-next")).to_be_disabled()
    page.keyboard.press("ArrowLeft")
    expect(counter).to_have_text(f"Step {total - 1} of {total}")
    assert not [m for m in page.console_messages if "Failed to load model class" in m]


def test_mask_switch_changes_every_name_at_once(page, voila, shoot):
    """Switching the mask off shows names; switching it on again hides them all at once."""
    names = names_of(voila)
    page.goto(f"{voila.url}/voila/render/present.ipynb?case={CASE}", wait_until="domcontentloaded")
    expect(page.locator(".cm-present-count")).to_contain_text("Step 1 of ")
    mask = page.locator(".cm-present-mask")
    mask.click()
    expect(mask).not_to_have_class(re.compile("mod-active"))
    expect(page.locator(".cm-present-record")).to_contain_text("Leanne Quellan")
    shoot(page, "present-02-names-shown")
    mask.click()
    expect(page.locator(".cm-present-record")).not_to_contain_text("Leanne Quellan")
    assert names_on_screen(page, names) == []
