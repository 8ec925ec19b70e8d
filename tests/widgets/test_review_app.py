"""The review app: evidence shown, ratings saved into the case's reviews, report exported."""

from __future__ import annotations

import json

import pytest

from casemap.analysis import review
from widgets.review_app import ReviewApp


def on_disk(path):
    return json.loads(path.read_text())


@pytest.fixture
def weak_path(case_home):
    return case_home / "demo" / "demo-03.json"


@pytest.fixture
def app(weak_path):
    return ReviewApp(weak_path, autosave_delay=0)


def test_shows_evidence_for_every_criterion(app):
    """Each of the eight criteria shows its evidence and the suggested rating."""
    assert list(app.criteria) == list(review.CRITERIA)
    text = app.criteria["intervention_with_perpetrator"].evidence.value
    assert "There is no plan for him" in text
    assert "Suggested from the record: <b>Not met</b>" in text


def test_prompts_include_the_pivot_question(app):
    """The supervisor prompts are shown beside the criteria."""
    assert "Who caused the harm we are worried about?" in app.prompts.value


def test_save_writes_a_review_to_disk(app, weak_path):
    """Ratings, notes, reviewer and reflections reach the case's reviews on disk."""
    app.reviewer.value = "Supervisor"
    app.date.value = "2025-01-10"
    app.criteria["pattern_documented"].rating.value = "partly"
    app.criteria["pattern_documented"].note.value = "Half the behaviours have no source."
    app.reflections.value = "Ask who told us, each time."
    app.save_button.click()
    reviews = on_disk(weak_path)["reviews"]
    assert len(reviews) == 1
    saved = reviews[0]
    assert saved["reviewer"] == "Supervisor"
    assert saved["date"] == "2025-01-10"
    assert saved["ratings"] == {
        "pattern_documented": {"rating": "partly", "note": "Half the behaviours have no source."}
    }
    assert saved["reflections"] == "Ask who told us, each time."


def test_second_save_replaces_the_same_review(app, weak_path):
    """Saving again updates the review just saved instead of adding another."""
    app.criteria["pattern_documented"].rating.value = "partly"
    app.save_button.click()
    app.criteria["pattern_documented"].rating.value = "not_met"
    app.save_button.click()
    reviews = on_disk(weak_path)["reviews"]
    assert len(reviews) == 1
    assert reviews[0]["ratings"]["pattern_documented"]["rating"] == "not_met"


def test_change_is_autosaved(app, weak_path):
    """A rating change is saved without pressing Save (the debounced autosave)."""
    app.criteria["safe_and_together"].rating.value = "partly"
    app.autosave.flush()
    reviews = on_disk(weak_path)["reviews"]
    assert reviews[0]["ratings"]["safe_and_together"]["rating"] == "partly"


def test_use_suggestions_fills_only_unrated(app):
    """Suggestions fill unrated criteria and leave the supervisor's own ratings alone."""
    app.criteria["pattern_documented"].rating.value = "met"
    app.suggest_button.click()
    assert app.criteria["pattern_documented"].rating.value == "met"
    assert app.criteria["intervention_with_perpetrator"].rating.value == "not_met"


def test_existing_review_loads_into_form(case_home):
    """Choosing a saved review shows its ratings and notes."""
    app = ReviewApp(case_home / "demo" / "demo-02.json", autosave_delay=0)
    app.review_choice.value = "rv1"
    assert app.criteria["child_impact_documented"].rating.value == "partly"
    assert "Hania" in app.criteria["child_impact_documented"].note.value
    assert app.reviewer.value == "Supervisor"


def test_bad_date_is_reported_calmly(app, weak_path):
    """A date casemap cannot read is not saved, and a calm message says so."""
    before = on_disk(weak_path)
    app.date.value = "next Tuesday"
    app.save_button.click()
    assert on_disk(weak_path) == before
    assert "the date is not one casemap can read" in app.message.value


@pytest.mark.parametrize(
    "fmt, magic", [("html", b"<!DOCTYPE html>"), ("docx", b"PK"), ("pdf", b"%PDF")]
)
def test_prepare_report_exports_and_offers_download(app, case_home, fmt, magic):
    """The report is written to the exports folder and offered as a download link."""
    app.criteria["pattern_documented"].rating.value = "partly"
    app.export_format.value = fmt
    name, data = app.prepare_report()
    assert data.startswith(magic)
    assert (case_home.parent / "exports" / name).read_bytes() == data
    assert "cm-download" in app.link.value


def test_training_copy_shows_banner(case_home, tmp_path):
    """A de-identified case opens with the training-copy banner."""
    from casemap import store
    from casemap.render.audience import deidentify_case

    training = deidentify_case(store.load(case_home / "demo" / "demo-01.json"))
    path = case_home / "training.json"
    store.save(training, path)
    app = ReviewApp(path, autosave_delay=0)
    assert "Training copy" in app.training_banner.value


def test_repr_is_the_checked_notebook_output(app):
    """The text shown by the notebook names the case and the rating progress."""
    assert repr(app) == (
        "Review of demo-03: 0 saved, 0/8 rated; the record suggests 1 met, 6 partly, 1 not met"
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("case=demo-02", "Review of demo-02: 1 saved"),
        ("", "Review of demo-01"),
        ("case=bad/id", "Cases:"),
    ],
)
def test_open_from_url(case_home, query, expected):
    """?case=ID opens that case's review, none the first demo case, a bad id the case list."""
    assert repr(ReviewApp.open_from_url(query, autosave_delay=0)).startswith(expected)
