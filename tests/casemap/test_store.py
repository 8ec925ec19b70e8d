"""Storage (casemap/store.py): nothing lost, nothing leaked, every problem reported."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from casemap import store
from casemap.model import parse_case
from tests.strategies import case_dicts

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "cases"
    monkeypatch.setenv("CASEMAP_HOME", str(folder))
    monkeypatch.setenv("CASEMAP_EXPORTS", str(tmp_path / "exports"))
    return folder


def minimal(case_id="c-1", **extra):
    return parse_case({"format": "casemap/1", "case_id": case_id, "title": "T", **extra})


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=case_dicts())
def test_save_then_load_gives_an_equal_case(home, data):
    """For any valid case, what save returns is exactly what load reads back."""
    case = parse_case(data)
    path = home / "rt.json"
    if path.exists():
        path.unlink()
    saved = store.save(case, path, by="tester")
    assert store.load(path) == saved
    assert saved.revision == case.revision + 1
    assert saved.extensions == case.extensions


def test_a_saved_casefile_has_one_record_per_line(home):
    """Each record of a saved demo case is one line of the file, so a diff names records."""
    demo = store.load(REPO / "casefiles" / "demo" / "demo-01.json")
    path = home / "demo-01.json"
    saved = store.save(demo, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    for section, record in saved.records():
        holding = [line for line in lines if f'"id": "{record.id}"' in line]
        assert len(holding) == 1, (section, record.id)
        assert json.loads(holding[0].strip().rstrip(",")) == record.model_dump(
            mode="json", exclude_none=True
        )
    assert json.loads(path.read_text(encoding="utf-8")) == store.dump_case(saved)


def test_save_sets_revision_updated_and_history_without_case_text(home):
    """Each save adds one to the revision, sets updated and appends a text-free history entry."""
    path = home / "c-1.json"
    first = store.save(minimal(), path, by="consultant-a")
    secret = "Ana moved to 14 Larchmere Close"
    second = store.save(first.model_copy(update={"title": secret}), path, by="consultant-b")
    assert [h.revision for h in second.history] == [1, 2]
    assert second.history[-1].by == "consultant-b"
    assert second.history[-1].summary == "case: title changed"
    assert secret not in json.dumps([h.model_dump(mode="json") for h in second.history])
    assert second.updated is not None and second.created == first.created


def test_history_counts_added_changed_and_removed_records(home):
    """The history summary names sections and counts of added, changed and removed records."""
    base = minimal(people=[{"id": "p1", "role": "perpetrator", "label": "Father"}],
                   behaviours=[{"id": "b1", "perpetrator": "p1", "category": "threats"},
                               {"id": "b2", "perpetrator": "p1", "category": "isolation"}])
    path = home / "c-1.json"
    saved = store.save(base, path)
    data = json.loads(path.read_text())
    data["behaviours"][0]["description"] = "he threatened"
    data["behaviours"].pop(1)
    data["behaviours"].append({"id": "b3", "perpetrator": "p1", "category": "intimidation"})
    after = store.save(parse_case(data), path)
    assert saved.revision == 1
    assert after.history[-1].summary == "behaviours: 1 added, 1 changed, 1 removed"


def test_stale_save_raises_conflict_and_leaves_file_unchanged(home):
    """Saving a copy based on an older revision raises ConflictError and writes nothing."""
    path = home / "c-1.json"
    tab_a = store.save(minimal(), path)
    tab_b = store.load(path)
    store.save(tab_a.model_copy(update={"title": "from tab A"}), path)
    before = path.read_bytes()
    with pytest.raises(store.ConflictError, match="based on revision 1.*at revision 2"):
        store.save(tab_b.model_copy(update={"title": "from tab B"}), path)
    assert path.read_bytes() == before


def test_unreadable_file_on_disk_is_never_overwritten(home):
    """A save over a file that does not parse is refused and the file kept as it is."""
    path = home / "c-1.json"
    home.mkdir(parents=True)
    path.write_text("{ not json")
    with pytest.raises(store.CasefileError):
        store.save(minimal(), path)
    assert path.read_text() == "{ not json"


def test_files_are_0600_and_folders_0700(home):
    """Casefiles, exports and the folders holding them are private to their owner."""
    path = store.create("New case", "c-9")
    export = store.write_export("c-9-summary.html", b"<p>x</p>")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE(export.stat().st_mode) == 0o600
    assert stat.S_IMODE(export.parent.stat().st_mode) == 0o700


def test_load_reports_line_and_column_of_bad_json(tmp_path):
    """Malformed JSON is reported with its line and column and the file left alone."""
    path = tmp_path / "bad.json"
    path.write_text('{\n  "format": "casemap/1",\n  "case_id": "x",,\n}')
    with pytest.raises(store.CasefileError) as e:
        store.load(path)
    assert e.value.lines() == [f"{path}: not valid JSON: Expecting property name enclosed in "
                               "double quotes at line 3, column 18"]
    assert path.read_text().endswith(",,\n}")


def test_load_reports_every_problem_with_file_and_field(tmp_path):
    """Each problem line names the file, the path to the field and what was expected."""
    path = tmp_path / "two.json"
    path.write_text(json.dumps({"format": "casemap/1", "case_id": "x", "title": "t",
                                "people": [{"id": "p1", "role": "father", "label": "F"}],
                                "behaviours": [{"id": "b1", "perpetrator": "p1",
                                                "category": "threats", "when": "2024-00"}]}))
    with pytest.raises(store.CasefileError) as e:
        store.load(path)
    lines = e.value.lines()
    assert any(line.startswith(f"{path}: people[0].role: 'father' is not one of") for line in lines)
    assert f"{path}: behaviours[0].when: '2024-00' has month 00: a month is 01 to 12" in lines


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe", "not UTF-8"), (b"[1, 2]", "expected a JSON object"),
])
def test_load_explains_files_that_are_not_casefiles(tmp_path, content, message):
    """Non-UTF-8 bytes and non-object JSON get a plain message, not a traceback."""
    path = tmp_path / "odd.json"
    path.write_bytes(content)
    with pytest.raises(store.CasefileError, match=message):
        store.load(path)


def test_casefile_folder_comes_from_casemap_home(home):
    """CASEMAP_HOME decides where cases live, and find_case refuses ids that are paths."""
    path = store.create("A case", "abc")
    assert path == home / "abc.json"
    assert store.find_case("abc") == path
    assert store.find_case("../abc") is None and store.find_case("/etc/passwd") is None


def test_list_reports_bad_files_without_failing(home):
    """A bad file in the folder is listed with its error; good ones still load."""
    store.create("Good", "good")
    (home / "broken.json").write_text("{")
    listings = store.list_cases()
    assert [(item.path.name, item.case is not None) for item in listings] == [
        ("broken.json", False), ("good.json", True)]


def test_save_copy_keeps_both_versions(home):
    """save_copy writes the case under a new id and leaves the original file untouched."""
    path = store.create("Mine", "orig")
    before = path.read_bytes()
    copy_path, copy = store.save_copy(store.load(path), note="mine")
    assert path.read_bytes() == before and copy_path.exists()
    assert copy.case_id.startswith("orig-mine-") and store.load(copy_path).title == "Mine"


KILLER = textwrap.dedent("""
    import sys
    from casemap import store
    from casemap.model import parse_case
    path = sys.argv[1]
    revision = store.load(path).revision
    print("ready", flush=True)
    while True:
        size = (revision % 7) * 600  # files of varying size, so the kill lands mid-write
        revision = store.save(parse_case({
            "format": "casemap/1", "case_id": "k", "revision": revision,
            "people": [{"id": "p1", "role": "perpetrator", "label": "F"}],
            "behaviours": [{"id": f"b{i}", "perpetrator": "p1", "category": "threats",
                            "description": "x" * 200} for i in range(size)]}), path).revision
""")



def test_sigkill_during_save_leaves_a_loadable_file(home, tmp_path):
    """A process killed with SIGKILL mid-save never leaves a torn or empty casefile."""
    path = store.create("Kill me", "k")
    script = tmp_path / "killer.py"
    script.write_text(KILLER)
    revisions = set()
    for delay in (0.05, 0.13, 0.21, 0.34, 0.55, 0.8, 1.1, 1.3):
        proc = subprocess.Popen([sys.executable, str(script), str(path)], cwd=REPO,
                                stdout=subprocess.PIPE, env={**os.environ})
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        case = store.load(path)  # raises if the file were torn
        revisions.add(case.revision)
    assert len(revisions) > 1  # the saves really were running when the kills came
