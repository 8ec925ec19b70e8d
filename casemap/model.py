"""The casefile format ``casemap/1`` as pydantic v2 models (shared/casefile-format.md).

Every model is frozen: a change builds a new case (``case.model_copy(update=...)`` or the
``with_*`` helpers at the end), so "did anything change?" is ``==`` and undo is a list of cases.
Unknown keys are refused with their own path; keys starting with ``x_`` are kept as they are.
Referential integrity (unique ids, references to records of the right kind and role) is checked
by :func:`find_reference_problems`, which works on raw dicts as well as on models so that a file
with both field errors and dangling references reports all of them at once.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import dates, taxonomy

FORMAT = "casemap/1"
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise PydanticCustomError(
            "id",
            "'{value}' is not a valid id: expected 1 to 40 letters, digits, '-' or '_', "
            "starting with a letter or digit",
            {"value": value[:60]},
        )
    return value


def _check_date(value: str) -> str:
    try:
        return dates.check(value)
    except dates.DateError as e:
        raise PydanticCustomError("edtf", "{reason}", {"reason": str(e)}) from None


def _enum(kind: str) -> Any:
    return Literal.__getitem__(taxonomy.ids(kind))  # the taxonomy file is the single source


Id = Annotated[str, AfterValidator(_check_id)]
Edtf = Annotated[str, AfterValidator(_check_date)]
Source = _enum("source")
Role = _enum("role")
BehaviourCategory = _enum("behaviour_category")
EffortCategory = _enum("effort_category")
ImpactDomain = _enum("impact_domain")
Factor = _enum("intersection_factor")
Phase = _enum("phase")
Frequency = _enum("frequency")
ResponseKind = _enum("response_kind")
StatementKind = _enum("statement_kind")
PlanStatus = _enum("plan_status")
SafetyFlag = _enum("worker_safety_flag")
Criterion = _enum("review_criterion")
RatingValue = _enum("rating")


class Strict(BaseModel):
    """Base of every casefile model: frozen, unknown keys refused, ``x_`` keys kept.

    ``x_`` keys are pydantic extras, so pydantic-core keeps and writes them without calling
    back into Python for every record (a wrap validator and serialiser per record made dumping
    a 1,000-record case 8x slower). Any other extra key is refused by ``_only_x_keys``, with
    its own path; when a file also has field errors, :func:`parse_case` finds unknown keys on
    the raw data as well (:func:`unknown_key_problems`).
    """

    model_config = ConfigDict(
        frozen=True,
        extra="allow",
        json_schema_extra={"additionalProperties": False, "patternProperties": {"^x_": {}}},
    )

    @model_validator(mode="after")
    def _only_x_keys(self) -> Any:
        extra = self.__pydantic_extra__
        if extra:
            unknown = [k for k in extra if not k.startswith("x_")]
            if unknown:
                raise PydanticCustomError("unknown_keys", "unknown keys", {"keys": unknown})
        return self

    @property
    def extensions(self) -> dict[str, Any]:
        """The record's ``x_`` keys, as read."""
        return dict(self.__pydantic_extra__ or {})


class Record(Strict):
    """The fields every record has."""

    id: Id
    description: str = ""
    when: Edtf | None = None
    source: Source | None = None
    source_detail: str | None = None
    quote: str | None = None
    confidential: StrictBool = False

    @property
    def date(self) -> dates.EdtfDate | None:
        return dates.parse_or_none(self.when)


class Person(Strict):
    id: Id
    role: Role
    name: str = ""
    aliases: list[str] = Field(default_factory=list)
    label: str
    birth_date: Edtf | None = None
    relationship: str | None = None
    notes: str | None = None


class Behaviour(Record):
    """Component 1 (his pattern) and, when aimed at a child, component 2."""

    perpetrator: Id
    category: BehaviourCategory
    targets: list[Id] = Field(default_factory=list)
    children_present: list[Id] = Field(default_factory=list)
    phase: Phase = "unknown"
    frequency: Frequency = "unknown"


class ProtectiveEffort(Record):
    """Component 3: the full spectrum of the survivor's efforts."""

    by: Id
    category: EffortCategory
    children: list[Id] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _safety_planning_is_confidential(cls, data: Any) -> Any:
        if (
            isinstance(data, Mapping)
            and "confidential" not in data
            and data.get("category") == "safety_planning"
        ):
            return {**data, "confidential": True}
        return data


class ChildImpact(Record):
    """Component 4: an adverse impact on one child, linked to the behaviours that caused it."""

    child: Id
    domain: ImpactDomain
    caused_by: list[Id] = Field(default_factory=list)


class Intersection(Record):
    """Component 5: substance use, mental health, culture, poverty and other factors."""

    person: Id
    factor: Factor
    perpetrator_link: str | None = None


class SystemResponse(Record):
    kind: ResponseKind


class Statement(Record):
    kind: StatementKind
    about: Id | None = None


class PlanItem(Record):
    action: str = ""
    purpose: str = ""
    success_indicator: str = ""
    due: Edtf | None = None
    status: PlanStatus = "planned"


class Plans(Strict):
    """Always two separate plans: what is asked of her never sits in his plan, and the reverse."""

    survivor: list[PlanItem] = Field(default_factory=list)
    perpetrator: list[PlanItem] = Field(default_factory=list)


class WorkerSafety(Strict):
    """Restricted: shown to the consultation and supervision audiences only."""

    threats_to_workers: list[Record] = Field(default_factory=list)
    violence_outside_family: list[Record] = Field(default_factory=list)
    flags: list[SafetyFlag] = Field(default_factory=list)
    visit_plan: str | None = None
    survivor_notified_before_contact: StrictBool | None = None


class Consultation(Strict):
    id: Id
    date: Edtf | None = None
    consultant: str = ""
    participants: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    notes: str = ""
    recommendations: list[str] = Field(default_factory=list)


class Rating(Strict):
    rating: RatingValue
    note: str = ""


class Review(Strict):
    id: Id
    date: Edtf | None = None
    reviewer: str = ""
    ratings: dict[Criterion, Rating] = Field(default_factory=dict)
    reflections: str = ""


class HistoryEntry(Strict):
    at: AwareDatetime
    by: str = ""
    revision: StrictInt = Field(ge=0)
    summary: str = ""


class Case(Strict):
    """One case: one UTF-8 JSON document."""

    format: str
    case_id: Id
    title: str = ""
    jurisdiction: str | None = None
    created: AwareDatetime | None = None
    updated: AwareDatetime | None = None
    revision: StrictInt = Field(default=0, ge=0)
    people: list[Person] = Field(default_factory=list)
    behaviours: list[Behaviour] = Field(default_factory=list)
    efforts: list[ProtectiveEffort] = Field(default_factory=list)
    impacts: list[ChildImpact] = Field(default_factory=list)
    intersections: list[Intersection] = Field(default_factory=list)
    responses: list[SystemResponse] = Field(default_factory=list)
    worker_safety: WorkerSafety = Field(default_factory=WorkerSafety)
    statements: list[Statement] = Field(default_factory=list)
    plans: Plans = Field(default_factory=Plans)
    consultations: list[Consultation] = Field(default_factory=list)
    reviews: list[Review] = Field(default_factory=list)
    history: list[HistoryEntry] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _check_format(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            check_format(data.get("format"))
        return data

    @model_validator(mode="after")
    def _check_references(self) -> Case:
        problems = find_reference_problems(self)
        if problems:
            raise PydanticCustomError(
                "references",
                "{count} reference problem(s): {first}",
                {"count": len(problems), "first": problems[0].message, "problems": problems},
            )
        return self

    # -- reading helpers -------------------------------------------------------------------

    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)

    def people_with_role(self, role: str) -> list[Person]:
        return [p for p in self.people if p.role == role]

    @property
    def children(self) -> list[Person]:
        return self.people_with_role("child")

    def records(self) -> Iterator[tuple[str, Record]]:
        """Every record with the common fields, with the section it belongs to."""
        for section in SECTIONS:
            for r in getattr(self, section):
                yield section, r
        for key in ("threats_to_workers", "violence_outside_family"):
            for r in getattr(self.worker_safety, key):
                yield f"worker_safety.{key}", r
        for key in ("survivor", "perpetrator"):
            for r in getattr(self.plans, key):
                yield f"plans.{key}", r

    def record_count(self) -> int:
        return sum(1 for _ in self.records())


SECTIONS = ("behaviours", "efforts", "impacts", "intersections", "responses", "statements")
"""Top-level lists of records with the common fields, in the order the model reads a case."""

RECORD_TYPES: dict[str, type[Record]] = {
    "behaviours": Behaviour,
    "efforts": ProtectiveEffort,
    "impacts": ChildImpact,
    "intersections": Intersection,
    "responses": SystemResponse,
    "statements": Statement,
}


def check_format(value: Any) -> None:
    """Refuse files of another or a newer format with a message that says what is needed."""
    if value == FORMAT:
        return
    if isinstance(value, str) and value.startswith("casemap/"):
        version = value.partition("/")[2]
        if version.isdigit() and int(version) > 1:
            raise PydanticCustomError(
                "format_newer",
                "this file is format {value}, written by a newer casemap; this version reads "
                "casemap/1 only: upgrade casemap to open it",
                {"value": value},
            )
    raise PydanticCustomError(
        "format",
        'expected "casemap/1" here; found {value}: is this a casemap file?',
        {"value": repr(value)[:60]},
    )


# -- referential integrity ------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a casefile: where (``behaviours[3].when``) and what, in plain words."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def _items(obj: Any, key: str) -> list[Any]:
    value = _get(obj, key)
    return value if isinstance(value, list) else []


# (section, field, roles it may name or None for a record kind, is it a list)
_PERSON_REFS: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {
    "behaviours": [
        ("perpetrator", ("perpetrator",), False),
        ("targets", ("perpetrator", "survivor", "child", "other_adult"), True),
        ("children_present", ("child",), True),
    ],
    "efforts": [
        ("by", ("survivor", "other_adult", "child", "perpetrator"), False),
        ("children", ("child",), True),
    ],
    "impacts": [("child", ("child",), False)],
    "intersections": [("person", ("perpetrator", "survivor", "child", "other_adult"), False)],
    "statements": [("about", ("perpetrator", "survivor", "child", "other_adult"), False)],
}


def _walk_ids(case: Any) -> Iterator[tuple[str, Any, str]]:
    """Every (path, id, kind) of the case, kind being the section or ``people``."""
    for i, p in enumerate(_items(case, "people")):
        yield f"people[{i}].id", _get(p, "id"), "people"
    for section in SECTIONS:
        for i, r in enumerate(_items(case, section)):
            yield f"{section}[{i}].id", _get(r, "id"), section
    ws = _get(case, "worker_safety")
    for key in ("threats_to_workers", "violence_outside_family"):
        for i, r in enumerate(_items(ws, key) if ws is not None else []):
            yield f"worker_safety.{key}[{i}].id", _get(r, "id"), "worker_safety"
    plans = _get(case, "plans")
    for key in ("survivor", "perpetrator"):
        for i, r in enumerate(_items(plans, key) if plans is not None else []):
            yield f"plans.{key}[{i}].id", _get(r, "id"), "plans"
    for section in ("consultations", "reviews"):
        for i, r in enumerate(_items(case, section)):
            yield f"{section}[{i}].id", _get(r, "id"), section


def find_reference_problems(case: Any) -> list[Problem]:
    """Duplicate ids and references that name no record, or a record of the wrong kind or role.

    Works on a :class:`Case` and on the raw dict of a file, tolerating malformed parts (those
    are reported by field validation).
    """
    problems: list[Problem] = []
    kinds: dict[str, str] = {}
    first_seen: dict[str, str] = {}
    for path, rid, kind in _walk_ids(case):
        if not isinstance(rid, str):
            continue
        if rid in first_seen:
            problems.append(
                Problem(path, f"duplicate id '{rid}': already used at {first_seen[rid]}")
            )
            continue
        first_seen[rid] = path
        kinds[rid] = kind
    roles: dict[str, Any] = {}
    for p in _items(case, "people"):
        if isinstance(_get(p, "id"), str):
            roles.setdefault(_get(p, "id"), _get(p, "role"))

    def person_ref(path: str, value: Any, allowed: tuple[str, ...]) -> None:
        if not isinstance(value, str):
            return
        if value not in roles:
            where = kinds.get(value)
            problems.append(
                Problem(
                    path,
                    f"'{value}' names no person"
                    + (f" (it is a record in {where})" if where else " in people"),
                )
            )
        elif roles[value] not in allowed:
            want = " or ".join(allowed)
            problems.append(
                Problem(path, f"'{value}' is a {roles[value]}; expected a person with role {want}")
            )

    for section, refs in _PERSON_REFS.items():
        for i, r in enumerate(_items(case, section)):
            for field, allowed, is_list in refs:
                value = _get(r, field)
                if is_list:
                    for j, v in enumerate(value if isinstance(value, list) else []):
                        person_ref(f"{section}[{i}].{field}[{j}]", v, allowed)
                else:
                    person_ref(f"{section}[{i}].{field}", value, allowed)
    for i, r in enumerate(_items(case, "impacts")):
        caused_by = _get(r, "caused_by")
        for j, v in enumerate(caused_by if isinstance(caused_by, list) else []):
            if isinstance(v, str) and kinds.get(v) != "behaviours":
                what = f"a record in {kinds[v]}" if v in kinds else "no record"
                problems.append(
                    Problem(
                        f"impacts[{i}].caused_by[{j}]",
                        f"'{v}' is {what}; expected the id of a behaviour",
                    )
                )
    return problems


# -- errors, in plain words -----------------------------------------------------------------

_PLAIN = {
    "missing": "required, but missing",
    "extra_forbidden": "unknown key: not part of casemap/1 (local extensions must start with 'x_')",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "string_type": "expected text",
    "list_type": "expected a list",
    "dict_type": "expected an object ({...})",
    "model_type": "expected an object ({...})",
    "model_attributes_type": "expected an object ({...})",
    "datetime_type": "expected a date-time such as 2024-03-02T10:00:00+00:00",
    "datetime_parsing": "expected a date-time such as 2024-03-02T10:00:00+00:00",
    "datetime_from_date_parsing": "expected a date-time such as 2024-03-02T10:00:00+00:00",
    "timezone_aware": "expected a date-time with a UTC offset, such as 2024-03-02T10:00:00+00:00",
}


def _unknown_key(key: object) -> str:
    return f"unknown key '{key}': not part of casemap/1 (local extensions must start with 'x_')"


def unknown_key_problems(
    data: Any, model: type[Strict] | None = None, loc: tuple = ()
) -> list[Problem]:
    """Keys of raw casefile data that are neither fields nor ``x_`` extensions, at their paths.

    The models find these too, but only in records whose fields validate; this walk reads the
    raw dicts so that one load reports unknown keys beside field errors.
    """
    model = model or Case
    if not isinstance(data, Mapping):
        return []
    problems = []
    for key, value in data.items():
        if isinstance(key, str) and key.startswith("x_"):
            continue
        field = model.model_fields.get(key) if isinstance(key, str) else None
        if field is None:
            problems.append(Problem(_format_loc([*loc, key]), _unknown_key(key)))
            continue
        for inner, many in _nested_models(field.annotation):
            if many and isinstance(value, list):
                for i, item in enumerate(value):
                    problems += unknown_key_problems(item, inner, (*loc, key, i))
            elif not many:
                problems += unknown_key_problems(value, inner, (*loc, key))
    return problems


def _nested_models(annotation: Any) -> list[tuple[type[Strict], bool]]:
    """The casefile models inside a field's type, each with whether it is a list of them."""
    if isinstance(annotation, type) and issubclass(annotation, Strict):
        return [(annotation, False)]
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is list:
        return [(m, True) for m, _ in _nested_models(args[0])] if args else []
    return [found for arg in args for found in _nested_models(arg)]


def _format_loc(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def problems_from_error(error: ValidationError) -> list[Problem]:
    """Turn a pydantic ValidationError into plain-words problems with casefile paths."""
    problems: list[Problem] = []
    for e in error.errors(include_url=False):
        # Strip pydantic's internal loc parts (function-after[...], tagged unions).
        loc = [p for p in e["loc"] if not (isinstance(p, str) and "[" in p and "]" in p)]
        if e["type"] == "references":
            problems.extend(e["ctx"]["problems"])
            continue
        if e["type"] == "unknown_keys":
            problems += [Problem(_format_loc([*loc, k]), _unknown_key(k)) for k in e["ctx"]["keys"]]
            continue
        if e["type"] in ("format", "format_newer"):
            loc = ["format"]
        if e["type"] == "literal_error":
            allowed = e.get("ctx", {}).get("expected", "")
            msg = f"{e['input']!r} is not one of the allowed values: {allowed}"
        else:
            msg = _PLAIN.get(e["type"], e["msg"])
            if e["type"] == "extra_forbidden" and loc:
                msg = _unknown_key(loc[-1])
        problems.append(Problem(_format_loc(loc), msg))
    return problems


class CaseInvalid(ValueError):
    """A case that does not satisfy casemap/1; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


def parse_case(data: Any) -> Case:
    """Validate a decoded casefile, reporting every problem at once (fields and references)."""
    if not isinstance(data, Mapping):
        raise CaseInvalid([Problem("", "expected a JSON object at the top level")])
    try:
        return Case.model_validate(data)
    except ValidationError as e:
        problems = problems_from_error(e)
        # Field errors stop the after-validators, so unknown keys and references are checked
        # on the raw data too; the set keeps a problem found both ways from being reported twice.
        seen = set(problems)
        for found in (unknown_key_problems(data), find_reference_problems(data)):
            problems += [p for p in found if p not in seen]
            seen.update(found)
        raise CaseInvalid(problems) from None


def dump_case(case: Case) -> dict[str, Any]:
    """The JSON-ready dict of a case (unknown values left out, ``x_`` keys kept)."""
    return case.model_dump(mode="json", exclude_none=True)


def json_schema() -> dict[str, Any]:
    schema = Case.model_json_schema()
    schema["$id"] = "https://casemap.invalid/schema/casemap-1.json"
    schema["title"] = "casemap/1 casefile"
    schema.setdefault("properties", {})["format"] = {"const": FORMAT, "title": "Format"}
    return schema


# -- building new cases (the model is immutable: every change returns a new case) ------------


def new_case(case_id: str, title: str) -> Case:
    return Case(format=FORMAT, case_id=case_id, title=title)


def section_of(case: Case, record_id: str) -> str | None:
    """The section a record id lives in (``behaviours``, ``plans.survivor`` ...), if any."""
    for section, r in case.records():
        if r.id == record_id:
            return section
    return None


def _replace_in(items: list[Any], item: Any) -> tuple[list[Any], bool]:
    out, found = [], False
    for x in items:
        if x.id == item.id:
            out.append(item)
            found = True
        else:
            out.append(x)
    return out, found


def with_record(case: Case, section: str, record: Any) -> Case:
    """A new case with ``record`` added to ``section``, or replacing the one with its id.

    ``section`` is a top-level list (``behaviours``, ``people`` ...), ``plans.survivor``,
    ``plans.perpetrator``, ``worker_safety.threats_to_workers`` or
    ``worker_safety.violence_outside_family``. The result is validated: the record on its own
    (so one built with ``model_copy`` is checked too) and every reference in the case, which
    is all a valid case with one record more can get wrong. The other records are shared with
    ``case``, not rebuilt: the workbook keeps old cases for undo.
    """
    head, _, tail = section.partition(".")
    owner = Case.model_fields[head].annotation if tail else Case
    kind = _nested_models(owner.model_fields[tail or head].annotation)[0][0]  # type: ignore[union-attr]
    where = f"{section}[{getattr(record, 'id', '?')}]"
    if not isinstance(record, kind):
        raise CaseInvalid([Problem(where, f"expected a {kind.__name__} record")])
    try:
        record = kind.model_validate(record.model_dump(mode="json", exclude_none=True))
    except ValidationError as e:
        raise CaseInvalid(
            [
                Problem(f"{where}.{p.path}" if p.path else where, p.message)
                for p in problems_from_error(e)
            ]
        ) from None
    if tail:
        parent = getattr(case, head)
        items, found = _replace_in(getattr(parent, tail), record)
        if not found:
            items.append(record)
        update = {head: parent.model_copy(update={tail: items})}
    else:
        items, found = _replace_in(getattr(case, head), record)
        if not found:
            items.append(record)
        update = {head: items}
    new = case.model_copy(update=update)
    problems = find_reference_problems(new)
    if problems:
        raise CaseInvalid(problems)
    return new


def without_record(case: Case, record_id: str) -> Case:
    """A new case with the record or person removed, and every reference to it dropped."""
    data = dump_case(case)

    def strip(value: Any) -> Any:
        if isinstance(value, list):
            return [
                strip(v) for v in value if not (isinstance(v, dict) and v.get("id") == record_id)
            ]
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if isinstance(v, list) and k in _LIST_REFS:
                    out[k] = [x for x in v if x != record_id]
                elif k in _SINGLE_OPTIONAL_REFS and v == record_id:
                    continue
                else:
                    out[k] = strip(v)
            return out
        return value

    return parse_case(strip(data))


_LIST_REFS = {"targets", "children_present", "children", "caused_by"}
_SINGLE_OPTIONAL_REFS = {"about"}


def revalidate(case: Case) -> Case:
    """Run full validation on a case built with ``model_copy`` (which skips validation)."""
    return parse_case(dump_case(case))


def next_id(case: Case, prefix: str) -> str:
    """A fresh id with the given prefix (``b`` → ``b12``), unique across the case."""
    used = {rid for _, rid, _ in _walk_ids(case)}
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


def today() -> dt.date:
    return dt.date.today()
