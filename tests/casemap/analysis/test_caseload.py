"""Caseload figures across a folder of generated cases, checked against counts made here."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from casemap import store
from casemap.analysis import caseload, gaps, review
from casemap.cli import main
from casemap.model import dump_case, parse_case

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO))
from benchmarks.gen import make_case  # noqa: E402

N = 12
PLAN_ITEM = {
    "id": "pp1",
    "description": "Stop monitoring her phone.",
    "action": "No contact with her phone or accounts",
    "success_indicator": "No messages from him reach her for three months",
}


def _variant(i: int) -> dict:
    """Generated case i, varied so every caseload figure has cases on both sides."""
    data = dump_case(make_case(40 + 5 * i, seed=i))
    data["case_id"] = f"gen-{i:03d}"
    if i % 3 == 0:
        data["plans"]["perpetrator"] = [PLAN_ITEM]
    if i % 4 == 0:
        data["worker_safety"]["flags"] = ["stalking"]
    if i % 8 == 0:
        data["worker_safety"]["visit_plan"] = "Paired visits; supervisor reviews before contact."
    if i % 5 == 0:
        data["reviews"] = [
            {
                "id": "rv1",
                "date": "2024-01-01",
                "ratings": {"pattern_documented": {"rating": "met"}},
            },
            {
                "id": "rv2",
                "date": "2024-06-01",
                "ratings": {c: {"rating": "not_met"} for c in review.CRITERIA},
            },
        ]
    return data


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("caseload")
    for i in range(N):
        (root / f"gen-{i:03d}.json").write_text(json.dumps(_variant(i)), encoding="utf-8")
    (root / "broken.json").write_text("{not json", encoding="utf-8")
    bad = _variant(99)
    bad["people"][0]["role"] = "Daniel Smith"  # a value from the file must not be echoed
    (root / "bad-role.json").write_text(json.dumps(bad), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def cases():
    return [parse_case(_variant(i)) for i in range(N)]


@pytest.fixture(scope="module")
def summary(folder):
    return caseload.summarise(store.list_cases(folder))


def test_every_good_case_is_counted(summary, cases):
    """Each loadable casefile is counted once, by its case id."""
    assert sorted(summary.case_ids) == sorted(c.case_id for c in cases)


def test_bad_files_are_skipped_and_reported(summary):
    """A file that is not JSON and a file with a bad value are skipped, saying where."""
    skipped = {s.file: s.problem for s in summary.skipped}
    assert set(skipped) == {"broken.json", "bad-role.json"}
    assert "not valid JSON" in skipped["broken.json"]
    assert "people[0].role" in skipped["bad-role.json"]
    assert "Daniel" not in skipped["bad-role.json"]


def test_cases_without_perpetrator_plan(summary, cases):
    """Cases with no plan for him are listed by id, and only those."""
    expected = {c.case_id for c in cases if not c.plans.perpetrator}
    assert set(summary.without_perpetrator_plan) == expected
    assert 0 < len(expected) < N


def test_flags_without_visit_plan(summary, cases):
    """Cases with worker-safety flags and no visit plan are listed by id, and only those."""
    expected = {
        c.case_id for c in cases if c.worker_safety.flags and not c.worker_safety.visit_plan
    }
    assert set(summary.flags_without_visit_plan) == expected
    assert expected


def test_criteria_use_latest_review_else_evidence(summary, cases):
    """Per criterion, met/partly/not met come from the latest review, else the suggestion."""
    for share in summary.criteria:
        tally = Counter()
        reviewed = 0
        for c in cases:
            if c.reviews:
                reviewed += 1
                tally[c.reviews[-1].ratings[share.criterion].rating] += 1
            else:
                tally[review.evidence(c)[share.criterion].suggested] += 1
        assert (share.met, share.partly, share.not_met, share.not_applicable) == (
            tally["met"],
            tally["partly"],
            tally["not_met"],
            tally["not_applicable"],
        )
        assert share.from_review == reviewed
        applicable = tally["met"] + tally["partly"] + tally["not_met"]
        assert share.share_met == pytest.approx(tally["met"] / applicable)


def test_top_findings_count_cases(summary, cases):
    """The most frequent findings are counted once per case, most frequent first."""
    fired = Counter()
    for c in cases:
        fired.update({f.rule for f in gaps.find_gaps(c)})
    got = [(f.rule, f.cases) for f in summary.top_findings]
    assert len(got) == min(caseload.TOP_FINDINGS, len(fired))
    for rule, n in got:
        assert fired[rule] == n
    counts = [n for _, n in got]
    assert counts == sorted(counts, reverse=True)
    assert min(counts) >= max((n for r, n in fired.items() if r not in dict(got)), default=0)


def test_output_never_holds_case_text(summary, cases):
    """JSON, CSV and text output carry no description, quote or name from any case."""
    outputs = caseload.to_json(summary) + caseload.to_csv(summary) + caseload.format_text(summary)
    for c in cases:
        for p in c.people:
            assert p.name not in outputs
        for _, r in c.records():
            if len(r.description) > 12:
                assert r.description not in outputs


def test_csv_matches_summary(summary):
    """The CSV long table carries the same figures as the summary."""
    rows = list(csv.DictReader(io.StringIO(caseload.to_csv(summary))))
    met = {r["item"]: int(r["value"]) for r in rows if r["section"] == "criterion_met"}
    assert met == {c.criterion: c.met for c in summary.criteria}
    listed = [r["item"] for r in rows if r["section"] == "without_perpetrator_plan"]
    assert listed == list(summary.without_perpetrator_plan)


def test_cli_json_and_csv(folder, tmp_path, capsys, summary):
    """`casemap caseload DIR --json --csv FILE` prints the JSON and writes the CSV."""
    out_csv = tmp_path / "load.csv"
    assert main(["caseload", str(folder), "--json", "--csv", str(out_csv)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == caseload.as_dict(summary)
    assert out_csv.read_text(encoding="utf-8") == caseload.to_csv(summary)


def test_cli_text_lists_skipped(folder, capsys):
    """The text report says how many cases were read and which files were skipped."""
    assert main(["caseload", str(folder)]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"{N} cases, 2 skipped")
    assert "broken.json" in text


def test_cli_missing_folder(tmp_path, capsys):
    """A folder that does not exist is a plain error, exit 2."""
    assert main(["caseload", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_language_per_1000_words(summary, cases):
    """Wording findings and words are the sums over the cases, and the rate is their ratio."""
    from casemap.analysis import language

    findings = sum(len(language.lint_case(c)) for c in cases)
    words = sum(language.word_count(c) for c in cases)
    assert (summary.language_findings, summary.words) == (findings, words)
    assert words > 0
    assert summary.language_per_1000_words == pytest.approx(1000 * findings / words)


def test_cli_workers_give_the_same_figures(tmp_path, capsys):
    """Reading the casefiles in worker processes gives exactly the figures of one process."""
    for i in range(70):  # above the size where the command starts workers
        data = _variant(i % N)
        data["case_id"] = f"w-{i:03d}"
        (tmp_path / f"w-{i:03d}.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert main(["caseload", str(tmp_path), "--json", "--jobs", "2"]) == 0
    parallel = json.loads(capsys.readouterr().out)
    assert main(["caseload", str(tmp_path), "--json", "--jobs", "1"]) == 0
    serial = json.loads(capsys.readouterr().out)
    assert parallel == serial == caseload.as_dict(caseload.summarise(store.list_cases(tmp_path)))
    assert parallel["cases"] == 70 and len(parallel["skipped"]) == 1
