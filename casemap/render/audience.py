"""What each audience may see: the one place where confidentiality is decided.

Every renderer (summary, timeline, exports) receives the output of :func:`apply_audience` and
never decides confidentiality itself: it shows what ``view.case`` holds, asks ``view.shows(part)``
which parts of a document the audience gets, and puts ``view.appendix`` (consultation only) in a
separate, clearly marked section at the end.

Survivors' disclosures have reached perpetrators through case plans (shared/sources/002, and
shared/domain.md section 6), so the rules below err on the side of leaving out:

``consultation``
    Everything, for the consultant, worker and supervisor. ``case`` is the body *without*
    survivor-confidential records; those are in ``appendix``, so no renderer can mix them into
    the body. References from the body to them (an impact ``caused_by`` a confidential
    behaviour) are dropped from the body. Worker safety included.
``case-record``
    The agency's case file: no survivor-confidential record anywhere; worker safety included.
``perpetrator``
    His plan, what is expected of him, the behaviours he is accountable for as a parent and their
    impact on the children. Left out, with the reason from domain.md:

    - every survivor-confidential record, the survivor's plan and every protective effort: her
      strategies, her help-seeking and her network are on the section 6 list of what must never
      reach him ("covert protective strategies", "contacts with advocates", "members of her
      safety network"), and component 3 cannot be shown without them;
    - every record whose source is the survivor or a child, and every ``source_detail`` (who
      told, where): he could retaliate against whoever told (section 6, "the content and source
      of her and the children's disclosures");
    - intersections about anyone but him. Section 2.5 records *her* substance use and mental
      health as caused, worsened or weaponised by him ("false claims", sabotaged recovery):
      handing them to him hands him the weapon. The children's and other adults' factors carry
      their services and whereabouts. His own use and mental health are his to address;
    - statements about anyone but him or a child; system responses other than police, arrests,
      orders, hearings and child-welfare contacts (referrals and engagements may be hers);
    - people's notes and adults other than the family unless a kept record names them (her
      safety network, section 6); worker safety (section 5: "excluded from family- or
      court-facing outputs"); consultations, reviews and history (internal professional work);
    - whereabouts (addresses, postcodes, schools, workplaces, refuges, phone numbers, emails,
      URLs) scrubbed from every piece of free text by :func:`scrub_whereabouts`.
``survivor``
    Her plan and the support around it, what the agency expects of him, his pattern and its
    impact on the children. No survivor-confidential record: the casefile format says they never
    leave the consultation audience, and a paper in her home can be found by a man who monitors
    her. No worker-safety section, consultations, reviews or history.
``training``
    De-identified by :func:`deidentify_case`: no survivor-confidential record; every person's
    name and aliases replaced by their label everywhere; dates moved by one whole-day offset per
    case (intervals kept); whereabouts and reference numbers scrubbed; ``case_id`` and title
    replaced; consultant and reviewer names replaced by their role; history dropped.

Local ``x_`` keys hold content nobody has classified, so only the professional audiences
(consultation, case-record) keep them; a de-identified case carries ``x_training`` instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .. import dates
from ..model import SECTIONS, Case, Person, Record, dump_case, parse_case

AUDIENCES = ("consultation", "case-record", "perpetrator", "survivor", "training")

AUDIENCE_LABELS = {
    "consultation": "Consultation: consultant, worker and supervisor",
    "case-record": "Case record: the agency's case file",
    "perpetrator": "Perpetrator: the father's plan and what is expected of him",
    "survivor": "Survivor: the mother's plan and the support around it",
    "training": "Training: de-identified teaching material",
}

# The parts of a document each audience may receive. Renderers ask ``view.shows(part)``.
PARTS = (
    "people",
    "pattern",
    "harm_to_child",
    "efforts",
    "impacts",
    "intersections",
    "responses",
    "worker_safety",
    "gaps",
    "language",
    "statements",
    "plan_survivor",
    "plan_perpetrator",
    "consultations",
    "timeline",
)
_ALL = frozenset(PARTS)
_PARTS_BY_AUDIENCE: dict[str, frozenset[str]] = {
    "consultation": _ALL,
    "case-record": _ALL,
    "perpetrator": _ALL
    - {"efforts", "worker_safety", "gaps", "language", "plan_survivor", "consultations"},
    "survivor": _ALL - {"worker_safety", "gaps", "language", "consultations"},
    "training": _ALL,
}

WHEREABOUTS = "[whereabouts removed]"
REFERENCE = "[reference removed]"
NAME = "[name removed]"

# Every key whose value is free text (a string or a list of strings) somewhere in a casefile.
_TEXT_KEYS = frozenset(
    {
        "title",
        "description",
        "source_detail",
        "quote",
        "action",
        "purpose",
        "success_indicator",
        "perpetrator_link",
        "relationship",
        "notes",
        "visit_plan",
        "consultant",
        "participants",
        "questions",
        "recommendations",
        "reflections",
        "note",
        "reviewer",
        "summary",
    }
)
_DATE_KEYS = frozenset({"when", "due", "birth_date", "date"})
_RECORD_REFS = frozenset({"caused_by"})
_PERSON_LIST_REFS = frozenset({"targets", "children_present", "children"})
_PERSON_REFS = frozenset({"perpetrator", "by", "child", "person", "about"})


@dataclass(frozen=True)
class AudienceView:
    """A case as one audience may see it.

    ``case`` is what may appear in the body of any output for this audience. ``appendix``
    holds survivor-confidential records that only the consultation audience sees, in a
    separate, clearly marked section at the end.
    """

    audience: str
    case: Case
    appendix: tuple[tuple[str, Record], ...] = field(default=())

    @property
    def label(self) -> str:
        """Who the document is for, in words for its first page."""
        return AUDIENCE_LABELS[self.audience]

    @property
    def confidential(self) -> bool:
        """Whether outputs are marked CONFIDENTIAL (every audience but de-identified training)."""
        return self.audience != "training"

    def shows(self, part: str) -> bool:
        """Whether this audience's documents include ``part`` (one of :data:`PARTS`)."""
        if part not in _ALL:
            raise ValueError(f"unknown part '{part}': expected one of {', '.join(PARTS)}")
        return part in _PARTS_BY_AUDIENCE[self.audience]


def in_the_room(case: Case) -> AudienceView:
    """The consultation audience with nothing set apart, for the consultation's own screen and
    wall: everyone there may see everything, and survivor-confidential records are marked in
    place. Documents, which travel, use :func:`apply_audience` and keep them in an appendix."""
    return AudienceView("consultation", case)


def apply_audience(case: Case, audience: str) -> AudienceView:
    """The case as ``audience`` may see it: a valid Case, plus the consultation's appendix."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience '{audience}': expected one of {', '.join(AUDIENCES)}")
    if audience == "training":
        return AudienceView(audience, deidentify_case(case))
    roles = {p.id: p.role for p in case.people}
    if audience == "consultation":
        appendix = tuple((s, r) for s, r in case.records() if r.confidential)
        data = _without(dump_case(case), lambda s, r: not r.get("confidential", False))
        return AudienceView(audience, parse_case(data), appendix)
    if audience == "case-record":
        data = _without(dump_case(case), lambda s, r: not r.get("confidential", False))
        return AudienceView(audience, parse_case(_drop_extensions(data)))
    if audience == "survivor":
        data = _without(
            dump_case(case),
            lambda s, r: not r.get("confidential", False) and not s.startswith("worker_safety"),
        )
        data.update(worker_safety={}, consultations=[], reviews=[], history=[])
        return AudienceView(audience, parse_case(_drop_extensions(data)))
    # perpetrator
    places = known_places(case)
    data = _without(dump_case(case), lambda s, r: _perpetrator_may_see(s, r, roles))
    data.update(worker_safety={}, consultations=[], reviews=[], history=[])
    _drop_unnamed_other_adults(data)
    for p in data["people"]:
        p.pop("notes", None)
        if p["role"] == "other_adult":
            p.pop("relationship", None)  # "part of her safety network" (section 6)
    for _, r in _record_dicts(data):
        r.pop("source_detail", None)
    data = _map_text(data, lambda t: scrub_whereabouts(t, places))
    return AudienceView(audience, parse_case(_drop_extensions(data)))


_PERPETRATOR_RESPONSES = frozenset(
    {"police_callout", "arrest", "protective_order", "court_hearing", "child_welfare_contact"}
)


def _perpetrator_may_see(section: str, r: dict[str, Any], roles: dict[str, str]) -> bool:
    if r.get("confidential", False) or r.get("source") in ("survivor", "child"):
        return False
    if section in ("behaviours", "impacts", "plans.perpetrator"):
        return True
    if section == "intersections":
        return roles.get(r["person"]) == "perpetrator"
    if section == "statements":
        return r.get("about") is None or roles.get(r["about"]) in ("perpetrator", "child")
    if section == "responses":
        return r["kind"] in _PERPETRATOR_RESPONSES
    return False  # efforts, the survivor's plan, worker safety


# -- dropping records and the references to them --------------------------------------------


def _record_lists(data: dict[str, Any]) -> Iterable[tuple[str, list[dict[str, Any]]]]:
    for section in SECTIONS:
        yield section, data.setdefault(section, [])
    ws = data.setdefault("worker_safety", {})
    for key in ("threats_to_workers", "violence_outside_family"):
        yield f"worker_safety.{key}", ws.setdefault(key, [])
    plans = data.setdefault("plans", {})
    for key in ("survivor", "perpetrator"):
        yield f"plans.{key}", plans.setdefault(key, [])


def _record_dicts(data: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    for section, items in _record_lists(data):
        for r in items:
            yield section, r


def _without(data: dict[str, Any], keep: Callable[[str, dict[str, Any]], bool]) -> dict[str, Any]:
    """``data`` keeping only the records ``keep`` accepts, with references to the rest dropped."""
    dropped: set[str] = set()
    for section, items in _record_lists(data):
        kept = [r for r in items if keep(section, r)]
        dropped |= {r["id"] for r in items} - {r["id"] for r in kept}
        items[:] = kept
    for _, r in _record_dicts(data):
        for key in _RECORD_REFS:
            if key in r:
                r[key] = [x for x in r[key] if x not in dropped]
    return data


def _drop_unnamed_other_adults(data: dict[str, Any]) -> None:
    """Drop adults outside the family that no kept record names (her network, section 6)."""
    named: set[str] = set()
    for _, r in _record_dicts(data):
        for key in _PERSON_REFS:
            if isinstance(r.get(key), str):
                named.add(r[key])
        for key in _PERSON_LIST_REFS:
            named.update(r.get(key, []))
    data["people"] = [p for p in data["people"] if p["role"] != "other_adult" or p["id"] in named]


def _drop_extensions(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _drop_extensions(v) for k, v in data.items() if not k.startswith("x_")}
    if isinstance(data, list):
        return [_drop_extensions(v) for v in data]
    return data


def _map_text(data: Any, fn: Callable[[str], str], key: str | None = None) -> Any:
    """``data`` with ``fn`` applied to every free-text value (by key), nothing else touched."""
    if isinstance(data, dict):
        return {k: _map_text(v, fn, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_map_text(v, fn, key) for v in data]
    if isinstance(data, str) and key in _TEXT_KEYS:
        return fn(data)
    return data


def _texts(data: Any, key: str | None = None) -> Iterable[str]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _texts(v, k)
    elif isinstance(data, list):
        for v in data:
            yield from _texts(v, key)
    elif isinstance(data, str) and key in _TEXT_KEYS:
        yield data


# -- whereabouts ------------------------------------------------------------------------------

_WORD = r"[A-Z][\w'’&-]*"
_STREET_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Crescent|Cres|Close|"
    "Boulevard|Blvd|Terrace|Gardens|Grove|Square|Sq|Row|Hill|Parkway|Highway|Hwy|Mews|Walk|Rise|"
    "View|Green|Park|Circle|Cir|Trail"
)
_PLACE_NOUNS = (
    "Primary School|Secondary School|High School|Middle School|School|Academy|College|"
    "University|Nursery|Kindergarten|Preschool|Daycare|Refuge|Shelter|Library|Centre|Center|"
    "Hospital|Clinic|Surgery|Depot|House|Estate|Church|Mosque|Temple|Synagogue|Bakery|Café|Cafe|"
    "Hotel|Motel|Factory|Warehouse|Store|Shop|Office|Offices"
)
_LOWER_PLACE_CUES = (
    "school|refuge|shelter|nursery|daycare|kindergarten|college|workplace|employer|library|"
    "clinic|hostel|hotel|motel|church|mosque|temple|synagogue"
)
_MOVE_VERBS = (
    "works?|working|worked|employed|volunteers?|volunteering|studies|studying|lives?|living|"
    "lived|stays?|staying|stayed|moved|moving|relocated|attends?|attending|attended|enrolled|"
    "housed|placed|based"
)
_STOP = frozenset(
    "a an the at in on to from of his her their its our my your after before during when while "
    "and but or if then since until he she they we it this that these those there here by for "
    "with".split()
)

_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_PHONE = re.compile(r"(?<![\w/])\+?\(?\d[\d\s().-]{5,}\d(?![\w/])")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
_STREET = re.compile(
    rf"\b(?:(?i:flat|apt|apartment|unit|suite)\s+\d+\w?,?\s+)?\d{{1,5}}[A-Za-z]?,?\s+"
    rf"(?:{_WORD}\s+){{1,4}}(?:{_STREET_TYPES})\b\.?"
)
_FLAT = re.compile(r"\b(?i:flat|apt|apartment|unit|suite)\s+\d+\w?\b")
_PO_BOX = re.compile(r"(?i)\bP\.?\s?O\.?\s+Box\s+\d+\b")
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b")
_ZIP = re.compile(r"\b\d{5}(?:-\d{4})?\b")
_PLACE_BEFORE_NOUN = re.compile(rf"\b((?:{_WORD}\s+){{1,4}}(?:{_PLACE_NOUNS})s?)\b")
_PLACE_BEFORE_CUE = re.compile(rf"\b((?:{_WORD}\s+){{1,4}})(?i:{_LOWER_PLACE_CUES})\b")
_PLACE_AFTER_CUE = re.compile(
    rf"\b(?i:{_LOWER_PLACE_CUES}|address|postcode|zip)\s*(?i:called|named|:|-)\s*"
    rf"((?:{_WORD})(?:\s+(?:of\s+|the\s+)?{_WORD}){{0,4}})"
)
_PLACE_AFTER_VERB = re.compile(
    rf"\b(?i:{_MOVE_VERBS})\s+(?i:at|in|to|for|with|near|on|by)\s+(?i:the\s+)?"
    rf"((?:{_WORD})(?:\s+(?:of\s+|the\s+|on\s+)?{_WORD}){{0,4}})"
)


def _trim_place(phrase: str) -> str:
    """A captured place phrase without leading function words and trailing possessives."""
    words = phrase.split()
    while words and words[0].lower() in _STOP:
        words.pop(0)
    if words and re.search(r"['’]s$", words[-1]):
        return ""  # "Tobin's nursery", "Child A's school": the owner, not the place
    return " ".join(words).strip(" ,.;:")


def _places_in(text: str) -> set[str]:
    found = set()
    for rx in (_PLACE_BEFORE_NOUN, _PLACE_BEFORE_CUE, _PLACE_AFTER_CUE, _PLACE_AFTER_VERB):
        for m in rx.finditer(text):
            phrase = _trim_place(m.group(1))
            if " " not in phrase and _starts_sentence(text, m.start(1)):
                continue  # "Treatment clinic counsellor": a capital that only starts a sentence
            if phrase:
                found.add(phrase)
    return found


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?:;\"'(“‘"


def known_places(case: Case) -> frozenset[str]:
    """Named places (schools, refuges, workplaces...) found anywhere in the case's free text.

    Read from every record, confidential ones included, so that a refuge named once in a
    confidential disclosure is also removed where it is mentioned without a cue.
    """
    places: set[str] = set()
    for text in _texts(dump_case(case)):
        places |= _places_in(text)
    return frozenset(places)


def _phone(m: re.Match[str]) -> str:
    text = m.group(0)
    digits = sum(c.isdigit() for c in text)
    if digits < 7 or _ISO_DATE.match(text.strip()):
        return text
    return WHEREABOUTS


def scrub_whereabouts(text: str, places: Iterable[str] = ()) -> str:
    """``text`` with addresses, postcodes, phone numbers, emails, URLs and named places removed.

    ``places`` are the case's own known places (:func:`known_places`); cue-based patterns
    ("works at X", "X Primary School", "the X refuge") catch the ones in ``text`` itself.
    """
    out = _EMAIL.sub(WHEREABOUTS, text)
    out = _URL.sub(WHEREABOUTS, out)
    out = _PO_BOX.sub(WHEREABOUTS, out)
    out = _STREET.sub(WHEREABOUTS, out)
    out = _FLAT.sub(WHEREABOUTS, out)
    out = _UK_POSTCODE.sub(WHEREABOUTS, out)
    out = _PHONE.sub(_phone, out)
    out = _ZIP.sub(WHEREABOUTS, out)
    names = sorted(set(places) | _places_in(out), key=len, reverse=True)
    if names:
        rx = re.compile(
            # Case-sensitive: places are proper nouns ("Harbour House", not "the house").
            r"(?<![\w])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])"
        )
        out = rx.sub(WHEREABOUTS, out)
    # "[whereabouts removed], [whereabouts removed]" reads as one removal.
    return re.sub(rf"{re.escape(WHEREABOUTS)}(?:[\s,]+{re.escape(WHEREABOUTS)})+", WHEREABOUTS, out)


# -- de-identification ------------------------------------------------------------------------

_HONORIFICS = frozenset("mr mrs ms miss mx dr sir madam mum dad mr. mrs. ms. dr.".split())
# Name parts that are also ordinary words: left alone when written in lower case.
_COMMON_WORDS = frozenset(
    "will may rose grace hope faith joy dawn summer june april amber ruby ray art sue pat don "
    "guy rich mark bill jack frank wren robin jay lily iris violet daisy holly ivy sky river "
    "brook heather pearl crystal ginger hunter mason chase sandy bob penny sunny autumn august "
    "carol hazel olive jade".split()
)
_TITLED_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Officer|PC|DC|DS|Sgt|Sergeant|Detective|"
    r"Inspector|Judge|Justice|Magistrate|Nurse)\.?\s+[A-Z][\w'’-]+"
)
_REF_CUED = re.compile(
    r"(?i)\b(?:case|ref|reference|file|docket|claim|crime|incident|order|log|record|account|"
    r"acct|no|number)\b\.?\s*(?:no\.?|number|#)?\s*[:#]?\s*(?=[A-Z0-9/-]*\d)[A-Z0-9][A-Z0-9/-]{3,}\b"
)
_REF_LONG = re.compile(r"#\s*\d+|\b[\w/-]*\d{5,}[\w/-]*\b")
_MONTHS = (
    "January February March April May June July August September October November December".split()
)
_MONTH_RX = "|".join(_MONTHS + [m[:3] for m in _MONTHS if m != "May"])
_TEXT_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH_RX})\.?(?:,?\s+(?P<y1>(?:19|20)\d{{2}}))?"
    rf"|(?P<m2>{_MONTH_RX})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>(?:19|20)\d{{2}}))?"
    rf"|(?P<m3>{_MONTH_RX})\.?\s+(?P<y3>(?:19|20)\d{{2}})"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<y4>(?:19|20)\d{{2}}))\b"
)


def date_offset(case_id: str, seed: str | int | None = None) -> int:
    """The whole-day shift for one case's training copy: same for every date, never zero.

    Derived from the case id (and ``seed`` if given) so a case always gets the same offset;
    between one and three years either way.
    """
    digest = hashlib.sha256(f"casemap-training:{seed}:{case_id}".encode()).digest()
    days = 365 + int.from_bytes(digest[:4], "big") % 731
    return days if digest[4] % 2 else -days


def _month_number(name: str) -> int:
    key = name[:3].lower()
    return next(i for i, m in enumerate(_MONTHS, 1) if m[:3].lower() == key)


def _shift_text_dates(text: str, days: int) -> str:
    """Dates written in free text, moved by ``days`` at their own precision."""
    import datetime as dt

    def shift(m: re.Match[str]) -> str:
        g = m.groupdict()
        if g["iso"]:
            return dates.parse(g["iso"]).shifted(days)
        if g["y4"]:
            return dates.parse(g["y4"]).shifted(days)
        if g["m3"]:
            moved = dt.date(int(g["y3"]), _month_number(g["m3"]), 1) + dt.timedelta(days=days)
            return f"{_MONTHS[moved.month - 1]} {moved.year}"
        day = int(g["d1"] or g["d2"])
        month = _month_number(g["m1"] or g["m2"])
        year = g["y1"] or g["y2"]
        try:
            base = dt.date(int(year) if year else 2000, month, day)
        except ValueError:
            return m.group(0)
        moved = base + dt.timedelta(days=days)
        return f"{moved.day} {_MONTHS[moved.month - 1]}" + (f" {moved.year}" if year else "")

    return _TEXT_DATE.sub(shift, text)


def _not_iso(fn: Callable[[re.Match[str]], str]) -> Callable[[re.Match[str]], str]:
    def wrapped(m: re.Match[str]) -> str:
        return m.group(0) if _ISO_DATE.match(m.group(0)) else fn(m)

    return wrapped


def scrub_references(text: str) -> str:
    """``text`` with case, file, order and other reference numbers removed."""
    out = _REF_CUED.sub(_not_iso(lambda m: REFERENCE), text)
    return _REF_LONG.sub(_not_iso(lambda m: REFERENCE), out)


def name_replacer(people: Iterable[Person]) -> Callable[[str], str]:
    """A function replacing every person's names, aliases and name parts by their label.

    Full names and aliases match first; a first or last name alone matches too, unless two
    people share it (then it becomes "[name removed]"). Matching is case-insensitive on word
    boundaries, and a possessive keeps its "'s" ("Ana's" → "Mother's").
    """
    full: dict[str, str] = {}
    parts: dict[str, str] = {}
    for p in people:
        for name in [p.name, *p.aliases]:
            name = " ".join(name.split())
            if not name:
                continue
            key = name.lower()
            full[key] = p.label if full.get(key, p.label) == p.label else NAME
            for part in re.split(r"[\s-]+", name):
                part = part.strip(".,")
                if len(part) < 2 or part.lower() in _HONORIFICS:
                    continue
                k = part.lower()
                parts[k] = p.label if parts.get(k, p.label) == p.label else NAME
    table = {**parts, **full}  # a full name or alias wins over a part
    if not table:
        return lambda text: text
    tokens = sorted(table, key=len, reverse=True)
    rx = re.compile(
        r"(?<![\w])(" + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in tokens) + r")"
        r"(['’]s\b|s['’](?!\w)|['’](?!\w))?(?![\w])",
        re.IGNORECASE,
    )

    def replace(m: re.Match[str]) -> str:
        word, possessive = m.group(1), m.group(2) or ""
        key = " ".join(word.split()).lower()
        if key not in full and word.islower() and key in _COMMON_WORDS:
            return m.group(0)
        label = table[key]
        return label + ("'s" if possessive else "")

    return lambda text: rx.sub(replace, text)


def training_token(case_id: str, seed: str | int | None = None) -> str:
    """The stand-in for a case id in its training copy (stable, not reversible)."""
    return hashlib.sha256(f"casemap-training-id:{seed}:{case_id}".encode()).hexdigest()[:10]


def deidentify_case(case: Case, seed: str | int | None = None) -> Case:
    """A de-identified training copy of ``case``: the ``training`` audience, ``casemap deidentify``.

    No survivor-confidential record; every person's name and aliases replaced by their label in
    every field and in free text; every date moved by :func:`date_offset` whole days; whereabouts
    and reference numbers scrubbed; consultant and reviewer names replaced by their role;
    ``case_id``, title, history and timestamps replaced or dropped. The result is marked
    ``x_training`` and passes ``parse_case``.
    """
    places = known_places(case)
    days = date_offset(case.case_id, seed)
    names = name_replacer(case.people)
    data = _without(dump_case(case), lambda s, r: not r.get("confidential", False))
    data = _drop_extensions(data)
    token = training_token(case.case_id, seed)
    for key in ("created", "updated"):
        data.pop(key, None)
    data["history"] = []
    for p in data["people"]:
        p["name"] = p["label"]
        p["aliases"] = []
    for c in data.get("consultations", []):
        c["consultant"] = "Consultant" if c.get("consultant") else ""
    for r in data.get("reviews", []):
        r["reviewer"] = "Reviewer" if r.get("reviewer") else ""

    def clean(text: str) -> str:
        text = names(text)
        text = _TITLED_NAME.sub(NAME, text)
        text = scrub_whereabouts(text, places)
        text = scrub_references(text)
        return _shift_text_dates(text, days)

    data = _map_text(data, clean)
    data = _shift_dates(data, days)
    data["case_id"] = f"training-{token}"
    data["title"] = f"Training case {token}"
    data["x_training"] = (
        "De-identified training material: names replaced by role labels, dates shifted, "
        "whereabouts and reference numbers removed, survivor-confidential records left out."
    )
    return parse_case(data)


def _shift_dates(data: Any, days: int, key: str | None = None) -> Any:
    if isinstance(data, dict):
        return {k: _shift_dates(v, days, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_shift_dates(v, days, key) for v in data]
    if isinstance(data, str) and key in _DATE_KEYS:
        return dates.parse(data).shifted(days)
    return data
