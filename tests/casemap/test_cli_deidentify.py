"""`casemap deidentify PATH -o OUT`: the training audience written as a casefile."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from casemap import store
from casemap.cli import main

DEMO = Path(__file__).resolve().parents[2] / "casefiles" / "demo"
EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\b0\d{4} \d{6}\b")
# Street addresses written in the demo cases, found by eye and listed so a scrubber that stops
# recognising one is caught.
ADDRESSES = {
    "demo-01": ["14 Larchmere Close", "27 Quillon Road", "Larchmere", "Quillon"],
    "demo-02": ["52 Sycamore Terrace", "Sycamore Terrace"],
    "demo-03": ["8 Corran Gardens", "Corran Gardens", "Greenlaw Dental Practice"],
}


def _identifiers(source_text: str, case) -> list[str]:
    found = [p.name for p in case.people if p.name]
    found += [a for p in case.people for a in p.aliases]
    found += [m.rstrip(".") for m in EMAIL.findall(source_text)]
    found += PHONE.findall(source_text)
    return found


@pytest.mark.parametrize("case_id", sorted(ADDRESSES))
def test_deidentified_copy_validates_and_holds_no_identifier(case_id, tmp_path, capsys):
    """The copy loads, is marked training, and holds no name, alias, address, phone or email."""
    source = DEMO / f"{case_id}.json"
    text = source.read_text(encoding="utf-8")
    case = store.load(source)
    out = tmp_path / "training.json"
    assert main(["deidentify", str(source), "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    copy = store.load(out)  # validates
    assert copy.extensions.get("x_training")
    written = out.read_text(encoding="utf-8")
    identifiers = _identifiers(text, case) + ADDRESSES[case_id]
    assert len(identifiers) > 5
    for word in identifiers:
        assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", written, re.IGNORECASE), word
    assert case.case_id not in json.loads(written)["case_id"]


def test_refuses_to_overwrite(tmp_path, capsys):
    """An existing output file is left alone and the command exits 2."""
    out = tmp_path / "exists.json"
    out.write_text("keep", encoding="utf-8")
    assert main(["deidentify", str(DEMO / "demo-01.json"), "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "keep"
    assert "exists" in capsys.readouterr().err


def test_unreadable_source_is_a_plain_error(tmp_path, capsys):
    """A source that is not a casefile is reported without a traceback, exit 2."""
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["deidentify", str(bad), "-o", str(tmp_path / "o.json")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_workbook_shows_training_banner(tmp_path, monkeypatch):
    """The consultation workbook opens the training copy with its "Training copy" banner."""
    monkeypatch.setenv("CASEMAP_HOME", str(tmp_path))
    monkeypatch.setenv("CASEMAP_EXPORTS", str(tmp_path / "exports"))
    from widgets.apps import ConsultationApp

    out = tmp_path / "training.json"
    assert main(["deidentify", str(DEMO / "demo-02.json"), "-o", str(out)]) == 0
    app = ConsultationApp(out)
    assert "Training copy" in app.training_banner.value
