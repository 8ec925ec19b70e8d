"""The language lens under a free-text box."""

import ipywidgets as ipw
import pytest

from widgets.language_lens import LanguageLens


@pytest.mark.parametrize(
    "text",
    [
        "Mother failed to protect the children.",
        "The children were exposed to domestic violence.",
        "It is a volatile relationship.",
    ],
)
def test_lens_flags_victim_blaming_after_typing_pauses(text):
    """Wording from domain.md section 3 is flagged once the debounced check runs."""
    box = ipw.Textarea()
    lens = LanguageLens(box)
    box.value = text
    assert lens.value == ""  # nothing until typing pauses
    lens.flush()
    assert "Wording to reconsider" in lens.value
    assert lens.findings


def test_lens_is_empty_for_behavioural_wording():
    """An active sentence naming him raises nothing."""
    box = ipw.Textarea()
    lens = LanguageLens(box)
    box.value = "Marco pushed Ana into the door frame while she held Leo."
    lens.flush()
    assert lens.value == ""


def test_lens_escapes_case_text():
    """Text typed into the box reaches the page escaped."""
    box = ipw.Textarea()
    lens = LanguageLens(box)
    box.value = "<img src=x onerror=alert(1)> she failed to protect them"
    lens.flush()
    assert "<img" not in lens.value


def test_only_last_text_is_checked():
    """Several quick changes run one check, on the latest text."""
    box = ipw.Textarea()
    lens = LanguageLens(box)
    calls = []
    original = lens.refresh
    lens.debouncer.fn = lambda: (calls.append(box.value), original())
    for text in ["she", "she failed", "she failed to protect"]:
        box.value = text
    lens.flush()
    assert calls == ["she failed to protect"]
