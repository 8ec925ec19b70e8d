"""The foundation commands of the casemap command line, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "casefiles" / "demo"


def casemap(*args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    if home is not None:
        env["CASEMAP_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "casemap.cli", *args], capture_output=True,
                          text=True, env=env, cwd=REPO)


def test_new_creates_a_valid_casefile_and_prints_its_path(tmp_path):
    """`casemap new` writes an empty valid casefile into CASEMAP_HOME and prints its path."""
    result = casemap("new", "Consultation 4", "--id", "case-4", home=tmp_path)
    assert result.returncode == 0
    path = Path(result.stdout.strip())
    assert path == tmp_path / "case-4.json"
    assert casemap("validate", str(path)).returncode == 0
    assert json.loads(path.read_text())["title"] == "Consultation 4"


def test_new_refuses_a_name_as_id_and_an_existing_id(tmp_path):
    """`casemap new` exits 2 with a message for an invalid or already used id."""
    bad = casemap("new", "T", "--id", "Ana Rivera", home=tmp_path)
    assert bad.returncode == 2 and "not a valid case id" in bad.stderr
    casemap("new", "T", "--id", "same", home=tmp_path)
    again = casemap("new", "T", "--id", "same", home=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_validate_prints_path_field_message_and_exits_1(tmp_path):
    """`casemap validate` prints one PATH: FIELD: MESSAGE line per problem and exits 1."""
    good = Path(casemap("new", "ok", "--id", "ok", home=tmp_path).stdout.strip())
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "casemap/1", "case_id": "b", "title": "t",
                               "people": [{"id": "p", "role": "uncle", "label": "U"}],
                               "oops": 1}))
    result = casemap("validate", str(good), str(bad))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{bad}: oops: unknown key 'oops': not part of casemap/1 (local extensions must start "\
           "with 'x_')" in lines
    assert any(line.startswith(f"{bad}: people[0].role: 'uncle' is not one of") for line in lines)
    assert len(lines) == 2 and result.stderr == ""


def test_validate_exits_0_when_all_are_valid(tmp_path):
    """`casemap validate` exits 0 and prints nothing when every file is valid."""
    a = casemap("new", "a", "--id", "a", home=tmp_path).stdout.strip()
    b = casemap("new", "b", "--id", "b", home=tmp_path).stdout.strip()
    result = casemap("validate", a, b)
    assert (result.returncode, result.stdout) == (0, "")


def test_list_shows_each_case_and_bad_files_with_their_error(tmp_path):
    """`casemap list` prints a line per casefile with counts; a bad file is listed, not fatal."""
    casemap("new", "First", "--id", "first", home=tmp_path)
    (tmp_path / "zbroken.json").write_text('{"format": "casemap/1"')
    result = casemap("list", str(tmp_path))
    assert result.returncode == 0
    first, broken = result.stdout.splitlines()
    assert first.startswith("first\tFirst\trev 1\t") and "0 behaviours" in first
    assert broken.startswith(f"{tmp_path / 'zbroken.json'}: NOT LOADED: not valid JSON")


def test_show_gives_a_readable_overview(tmp_path):
    """`casemap show` prints title, people and sections of a case."""
    path = tmp_path / "s.json"
    path.write_text(json.dumps({
        "format": "casemap/1", "case_id": "s", "title": "Demo: show",
        "people": [{"id": "p1", "role": "perpetrator", "name": "Rolf Ashgrove", "label": "Father"},
                   {"id": "c1", "role": "child", "name": "Tam", "label": "Child A"}],
        "behaviours": [{"id": "b1", "perpetrator": "p1", "category": "threats",
                        "when": "2024-03~", "description": "Rolf threatened to take Tam."}]}))
    result = casemap("show", str(path))
    assert result.returncode == 0
    assert "Demo: show  [s, revision 0]" in result.stdout
    assert "Father (Perpetrator): Rolf Ashgrove" in result.stdout
    assert "2024-03~          Threats and coercion: Rolf threatened to take Tam." in result.stdout


def test_show_on_a_missing_file_exits_2_without_traceback(tmp_path):
    """A file that cannot be read gives exit 2 and a one-line message."""
    result = casemap("show", str(tmp_path / "nope.json"))
    assert result.returncode == 2 and result.stderr.strip().endswith("no such file")
    assert "Traceback" not in result.stderr


def test_schema_is_json_schema_of_the_format():
    """`casemap schema` prints a JSON Schema whose format property is casemap/1."""
    schema = json.loads(casemap("schema").stdout)
    assert schema["properties"]["format"]["const"] == "casemap/1"


def test_every_demo_case_validates():
    """Every committed demo case is a valid casefile."""
    paths = sorted(str(p) for p in DEMO.glob("*.json"))
    assert paths
    result = casemap("validate", *paths)
    assert result.returncode == 0, result.stdout
