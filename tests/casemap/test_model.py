"""The casefile model (casemap/model.py): each rule of casemap/1 refused with its own message."""

import copy

import pytest
from hypothesis import given, settings
from pydantic import ValidationError

from casemap.model import (
    Behaviour,
    CaseInvalid,
    ProtectiveEffort,
    dump_case,
    json_schema,
    parse_case,
    with_record,
    without_record,
)
from tests.strategies import case_dicts

BASE = {
    "format": "casemap/1",
    "case_id": "t-1",
    "title": "Test",
    "people": [
        {"id": "p1", "role": "perpetrator", "name": "Pat", "label": "Father"},
        {"id": "s1", "role": "survivor", "name": "Sam", "label": "Mother"},
        {"id": "c1", "role": "child", "name": "Kit", "label": "Child A"},
    ],
    "behaviours": [
        {"id": "b1", "perpetrator": "p1", "category": "threats", "targets": ["s1"],
         "children_present": ["c1"], "when": "2024-03"},
    ],
    "impacts": [{"id": "i1", "child": "c1", "domain": "social", "caused_by": ["b1"]}],
}


def broken(edit):
    data = copy.deepcopy(BASE)
    edit(data)
    return data


def problems(data):
    with pytest.raises(CaseInvalid) as e:
        parse_case(data)
    return [str(p) for p in e.value.problems]


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda d: d["behaviours"][0].update(whne="2024"),
         "behaviours[0].whne: unknown key 'whne'"),
        (lambda d: d["behaviours"][0].update(category="hitting"),
         "behaviours[0].category: 'hitting' is not one of the allowed values"),
        (lambda d: d["behaviours"][0].update(when="2024-13"),
         "behaviours[0].when: '2024-13' has month 13"),
        (lambda d: d["impacts"][0].update(id="b1"),
         "impacts[0].id: duplicate id 'b1': already used at behaviours[0].id"),
        (lambda d: d["impacts"][0].update(caused_by=["b9"]),
         "impacts[0].caused_by[0]: 'b9' is no record; expected the id of a behaviour"),
        (lambda d: d["behaviours"][0].update(children_present=["c9"]),
         "behaviours[0].children_present[0]: 'c9' names no person"),
        (lambda d: d["behaviours"][0].update(perpetrator="s1"),
         "behaviours[0].perpetrator: 's1' is a survivor; expected a person with role perpetrator"),
        (lambda d: d["impacts"][0].update(child="s1"),
         "impacts[0].child: 's1' is a survivor; expected a person with role child"),
        (lambda d: d.update(format="casemap/2"),
         "format: this file is format casemap/2, written by a newer casemap"),
        (lambda d: d.update(format="something"), "format: expected \"casemap/1\""),
        (lambda d: d.update(case_id="Ana Rivera"), "case_id: 'Ana Rivera' is not a valid id"),
        (lambda d: d.update(case_id="../etc"), "case_id: '../etc' is not a valid id"),
        (lambda d: d["people"][0].pop("label"), "people[0].label: required, but missing"),
        (lambda d: d["behaviours"][0].update(confidential="yes"),
         "behaviours[0].confidential: expected true or false"),
    ],
)
def test_each_rule_is_refused_with_its_own_message(edit, expected):
    """A file breaking one rule of the format is refused with a message naming field and rule."""
    found = problems(broken(edit))
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_is_reported_at_once():
    """Field errors and reference errors of one file are all reported together."""
    def edit(d):
        d["behaviours"][0].update(when="soon", category="x")
        d["impacts"][0].update(caused_by=["nope"])
    found = problems(broken(edit))
    assert len(found) == 3, found


def test_unknown_keys_are_reported_beside_field_errors():
    """An unknown key is reported at its path even when the same record has a field error."""
    def edit(d):
        d["behaviours"][0].update(when="soon", colour="red")
        d["people"][0].update(nick="x")
        d.update(notes_extra=1)
    found = problems(broken(edit))
    for path in ("behaviours[0].colour", "people[0].nick", "notes_extra"):
        assert sum(p.startswith(f"{path}: unknown key") for p in found) == 1, found
    assert any(p.startswith("behaviours[0].when:") for p in found), found


def test_a_model_built_in_code_refuses_a_misspelt_field():
    """Building a record with a misspelt field name fails, as reading one from a file does."""
    with pytest.raises(ValidationError):
        Behaviour(id="b1", perpetrator="p1", category="physical_violence", descriptoin="x")


def test_x_keys_are_kept_and_other_unknown_keys_refused():
    """Keys starting with x_ survive parse and dump, at top level and inside records."""
    data = broken(lambda d: (d.update(x_team={"a": 1}), d["behaviours"][0].update(x_tag="red")))
    out = dump_case(parse_case(data))
    assert out["x_team"] == {"a": 1} and out["behaviours"][0]["x_tag"] == "red"


def test_safety_planning_is_confidential_by_default():
    """A safety-planning effort with no confidential key is confidential; others are not."""
    case = parse_case(broken(lambda d: d.update(efforts=[
        {"id": "e1", "by": "s1", "category": "safety_planning"},
        {"id": "e2", "by": "s1", "category": "daily_care_and_routine"},
        {"id": "e3", "by": "s1", "category": "safety_planning", "confidential": False},
    ])))
    assert [e.confidential for e in case.efforts] == [True, False, False]


def test_minimal_case_is_valid():
    """A new case is valid with only format, case_id and title."""
    case = parse_case({"format": "casemap/1", "case_id": "n1", "title": "New"})
    assert case.people == [] and case.plans.survivor == [] and case.revision == 0


def test_models_are_frozen():
    """Records cannot be changed in place: a change builds a new case."""
    case = parse_case(BASE)
    with pytest.raises(ValidationError, match="frozen"):
        case.behaviours[0].description = "changed"  # type: ignore[misc]


def test_with_record_adds_and_replaces_and_validates():
    """with_record appends a new record, replaces one with the same id, and refuses bad refs."""
    case = parse_case(BASE)
    new = Behaviour(id="b2", perpetrator="p1", category="isolation")
    added = with_record(case, "behaviours", new)
    assert [b.id for b in added.behaviours] == ["b1", "b2"] and case.behaviours[0].id == "b1"
    edited = with_record(added, "behaviours", added.behaviours[0].model_copy(
        update={"description": "new words"}))
    assert edited.behaviours[0].description == "new words" and len(edited.behaviours) == 2
    with pytest.raises(CaseInvalid):
        with_record(case, "efforts", ProtectiveEffort(id="e1", by="zz", category="other"))


def test_with_record_checks_the_record_itself_and_shares_the_others():
    """A record built with model_copy is validated; the unchanged records are not rebuilt."""
    case = parse_case(BASE)
    bad = case.behaviours[0].model_copy(update={"category": "hitting", "id": "b2"})
    with pytest.raises(CaseInvalid) as e:
        with_record(case, "behaviours", bad)
    assert str(e.value.problems[0]).startswith("behaviours[b2].category: 'hitting'"), e.value
    with pytest.raises(CaseInvalid, match="expected a Behaviour record"):
        with_record(case, "behaviours", ProtectiveEffort(id="e9", by="s1", category="other"))
    new = Behaviour(id="b2", perpetrator="p1", category="isolation")
    added = with_record(case, "behaviours", new)
    assert added.behaviours[0] is case.behaviours[0] and added.people == case.people
    assert parse_case(dump_case(added)) == added


def test_without_record_drops_references():
    """Removing a behaviour also removes it from the impacts that named it as a cause."""
    case = without_record(parse_case(BASE), "b1")
    assert case.behaviours == [] and case.impacts[0].caused_by == []


@settings(max_examples=60, deadline=None)
@given(case_dicts())
def test_parse_dump_parse_is_identity(data):
    """For any valid case, dumping and parsing again gives an equal case."""
    case = parse_case(data)
    assert parse_case(dump_case(case)) == case


def test_schema_describes_the_format():
    """The JSON Schema names every top-level section and allows x_ keys."""
    schema = json_schema()
    assert {"people", "behaviours", "efforts", "impacts", "plans", "worker_safety"} <= set(
        schema["properties"])
    assert schema["properties"]["format"] == {"const": "casemap/1", "title": "Format"}
    assert "^x_" in schema["patternProperties"]
