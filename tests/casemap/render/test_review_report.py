"""The review report: case-record audience, every criterion, escaped case text, three formats."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from casemap import store
from casemap.analysis import review
from casemap.model import dump_case, parse_case
from casemap.render import review_report
from casemap.render.audience import apply_audience

DEMO = Path(__file__).resolve().parents[3] / "casefiles" / "demo"
TODAY = dt.date(2025, 1, 15)


@pytest.fixture(scope="module")
def reviewed():
    return store.load(DEMO / "demo-02.json")


def test_html_has_every_criterion_and_the_saved_ratings(reviewed):
    """The HTML report lists the eight criteria with the reviewer's ratings and notes."""
    text = review_report.render_review_report(reviewed, "html", today=TODAY).decode()
    rv = reviewed.reviews[-1]
    for c in review.CRITERIA:
        assert review.criterion_label(c).replace("'", "&#39;") in text
    assert rv.ratings["child_impact_documented"].note.replace("'", "&#39;") in text
    assert "Who caused the harm we are worried about?" in text
    assert "Audience: Case record" in text


def test_case_text_is_escaped(reviewed):
    """Markup typed into a review note reaches the HTML as text, never as markup."""
    data = dump_case(reviewed)
    data["reviews"][0]["ratings"]["pattern_documented"]["note"] = "<script>alert(1)</script>"
    text = review_report.render_review_report(parse_case(data), "html", today=TODAY).decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_no_confidential_record_in_report(reviewed):
    """Survivor-confidential records (ids and descriptions) never appear in the report."""
    text = review_report.render_review_report(reviewed, "html", today=TODAY).decode()
    confidential = [r for _, r in reviewed.records() if r.confidential]
    assert confidential
    for r in confidential:
        assert f"{r.id}: " not in text
        assert r.description[:40].replace("'", "&#39;") not in text


def test_report_without_review_says_so():
    """A case with no saved review gets a report that says no review has been saved."""
    case = store.load(DEMO / "demo-03.json")
    text = review_report.render_review_report(case, "html", today=TODAY).decode()
    assert "No review has been saved for this case yet." in text
    assert "Not rated" in text


def test_unknown_review_id_is_refused(reviewed):
    """Asking for a review the case does not hold is an error, not an empty report."""
    with pytest.raises(ValueError, match="no review"):
        review_report.build_review_report(reviewed, "nope")


def test_docx_holds_the_criteria(reviewed):
    """The DOCX report opens in python-docx and holds the criteria and the reflections."""
    from docx import Document

    data = review_report.render_review_report(reviewed, "docx", today=TODAY)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert review.criterion_label("intersections_documented") in text
    assert reviewed.reviews[-1].reflections[:40] in text


def test_pdf_holds_the_criteria(reviewed):
    """The PDF report is a PDF whose text holds the heading and a criterion."""
    from pypdf import PdfReader

    data = review_report.render_review_report(reviewed, "pdf", today=TODAY)
    assert data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Reflective case review" in text
    assert "Partnership with the survivor" in text


def test_unknown_format_is_refused(reviewed):
    """Only html, docx and pdf are offered."""
    with pytest.raises(ValueError, match="unknown format"):
        review_report.render_review_report(reviewed, "odt")


def test_default_filename_is_the_case_id(reviewed):
    """The file name is the opaque case id, the word review and the date: never a name."""
    assert review_report.default_filename(reviewed, "pdf", today=TODAY) == (
        "demo-02-review-2025-01-15.pdf"
    )


def test_wording_findings_are_counted_and_grouped():
    """Each criterion's wording findings are counted, one line per rule with its records."""
    case = store.load(DEMO / "demo-03.json")
    summary = review_report.build_review_report(case, today=TODAY)
    evidence = review.evidence(apply_audience(case, "case-record").case)  # what the report sees
    section = next(s for s in summary.sections if s.anchor == "criterion-pattern_documented")
    heading = f"Wording to reconsider ({len(evidence['pattern_documented'].language)})"
    texts = [r.text for b in section.blocks if hasattr(b, "runs") for r in b.runs]
    assert heading in texts
    bullets = section.blocks[-1]
    rules = {lf.finding.rule for lf in evidence["pattern_documented"].language}
    assert len(bullets.items) == len(rules)
