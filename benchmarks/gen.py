"""Fictional casefiles of any size, for benchmarks and render tests.

``make_case(n_records, seed)`` builds a valid ``casemap/1`` case about an invented family: a
father whose behaviours escalate and shift after separation (towards monitoring, legal abuse and
using the children), a mother's protective efforts, impacts on two children linked to the
behaviours that caused them, intersections and system responses. Dates cover every form the
format allows (day, month, year, ``~``, ``?``, intervals, ongoing, unknown) and some records are
survivor-confidential, so renderers meet every case they must draw. Same arguments, same case.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from casemap.model import Case, parse_case

FATHER, MOTHER, CHILD_A, CHILD_B = "p1", "s1", "c1", "c2"
CHILDREN = (CHILD_A, CHILD_B)
NAMES = {FATHER: "Daniel", MOTHER: "Sara", CHILD_A: "Mia", CHILD_B: "Leo"}

# The relationship's phases: he and she live together, she separates, then post-separation.
PHASES = (
    ("together", dt.date(2018, 1, 1), dt.date(2022, 5, 31)),
    ("separating", dt.date(2022, 6, 1), dt.date(2022, 11, 30)),
    ("post_separation", dt.date(2022, 12, 1), dt.date(2024, 12, 31)),
)

# Behaviour categories weighted per phase: the pattern changes shape after she leaves.
CATEGORY_WEIGHTS = {
    "together": {
        "physical_violence": 4,
        "emotional_abuse": 5,
        "isolation": 3,
        "economic_abuse": 3,
        "intimidation": 3,
        "threats": 2,
        "sexual_violence": 1,
        "undermining_parenting": 3,
        "direct_harm_to_child": 1,
        "neglect_of_child_needs": 1,
        "minimising_denying_blaming": 2,
        "status_based_control": 1,
    },
    "separating": {
        "threats": 5,
        "physical_violence": 3,
        "intimidation": 3,
        "monitoring_stalking": 3,
        "economic_abuse": 2,
        "using_children": 2,
        "technology_abuse": 2,
    },
    "post_separation": {
        "monitoring_stalking": 4,
        "using_children": 5,
        "legal_systems_abuse": 4,
        "technology_abuse": 3,
        "undermining_parenting": 3,
        "threats": 2,
        "economic_abuse": 2,
        "direct_harm_to_child": 2,
        "targeting_workers_or_others": 1,
        "minimising_denying_blaming": 2,
        "neglect_of_child_needs": 2,
    },
}

BEHAVIOURS = {
    "physical_violence": [
        "{F} pushed {M} into the door frame while she held {C}",
        "{F} grabbed {M} by the throat in the kitchen",
        "{F} threw a mug at {M}; it cut her forearm",
    ],
    "sexual_violence": ["{F} raped {M} after she refused him", "{F} hid {M}'s contraception"],
    "threats": [
        "{F} told {M} he would take the children abroad if she left",
        "{F} texted {M} that she would not live to see the court date",
        "{F} threatened to kill himself if {M} did not come home",
    ],
    "intimidation": [
        "{F} punched a hole in the bedroom wall beside {M}",
        "{F} smashed {M}'s phone on the floor",
        "{F} drove at speed with {M} and the children in the car",
    ],
    "emotional_abuse": [
        "{F} called {M} worthless in front of the children",
        "{F} told {M} no one would believe her",
        "{F} mocked {M}'s accent at a family meal",
    ],
    "isolation": [
        "{F} stopped {M} from visiting her sister",
        "{F} took the car keys so {M} could not get to work",
    ],
    "economic_abuse": [
        "{F} took {M}'s wages into his own account",
        "{F} ran up debts in {M}'s name",
        "{F} stopped paying child support",
    ],
    "monitoring_stalking": [
        "{F} waited outside {M}'s workplace",
        "{F} followed {M} from the school gate",
        "{F} questioned {C} about who visits {M}'s flat",
    ],
    "technology_abuse": [
        "{F} put a tracker on {M}'s car",
        "{F} logged into {M}'s email and read her messages",
    ],
    "using_children": [
        "{F} told {C} that {M} broke up the family",
        "{F} used handovers to shout at {M} in front of {C}",
        "{F} asked {C} to report what {M} does at home",
    ],
    "undermining_parenting": [
        "{F} told {C} not to listen to {M}",
        "{F} overruled {M}'s bedtime rules and mocked her to {C}",
    ],
    "direct_harm_to_child": [
        "{F} hit {C} with a belt",
        "{F} locked {C} in the bathroom for an hour",
    ],
    "neglect_of_child_needs": [
        "{F} did not give {C} her inhaler during a contact weekend",
        "{F} kept {C} from school appointments",
    ],
    "legal_systems_abuse": [
        "{F} filed a third contact application in six months",
        "{F} made a report to child welfare that {M} neglects the children",
    ],
    "status_based_control": ["{F} threatened to report {M} to immigration"],
    "targeting_workers_or_others": ["{F} shouted at the family worker at the door"],
    "minimising_denying_blaming": [
        "{F} told police {M} had fallen",
        "{F} said {M} makes him lose control",
    ],
}

EFFORTS = {
    "shielding_in_the_moment": [
        "{M} took {C} to the neighbour's when {F} started shouting",
        "{M} stood between {F} and {C}",
    ],
    "managing_perpetrator": ["{M} kept meals on time to avoid {F}'s outbursts"],
    "formal_help_seeking": [
        "{M} called the police after the assault",
        "{M} spoke to her GP about the injuries",
        "{M} asked the school to keep {C}'s address private",
    ],
    "informal_support": ["{M} confided in her sister", "{M} asked a friend to collect {C}"],
    "safety_planning": [
        "{M} agreed a code word with {C}",
        "{M} kept a bag with documents at her sister's",
    ],
    "leaving_or_staying_strategy": ["{M} moved with the children to a refuge"],
    "daily_care_and_routine": [
        "{M} kept {C}'s school routine going through the move",
        "{M} took {C} to every medical appointment",
    ],
    "emotional_repair": [
        "{M} reassured {C} after the contact visit",
        "{M} talked with {C} about feelings",
    ],
    "own_wellbeing_and_recovery": ["{M} started counselling for herself"],
}

IMPACTS = {
    "emotional_behavioural": [
        "{C} startles at loud noises and will not sleep alone",
        "{C} has angry outbursts after contact with {F}",
    ],
    "physical": ["{C} had bruises on her arm after contact", "{C} wets the bed again"],
    "educational": [
        "{C} missed three weeks of school during the move",
        "{C}'s reading fell behind",
    ],
    "social": ["{C} stopped inviting friends home"],
    "developmental": ["{C}'s speech regressed"],
    "relationship_with_protective_parent": ["{C} repeats {F}'s insults to {M}"],
    "relationship_with_perpetrator": ["{C} says she is scared of going to {F}'s"],
    "stability_housing_finances": ["{C} moved schools twice in a year"],
}

INTERSECTIONS = [
    (FATHER, "substance_use", "{F} drinks heavily before contact weekends"),
    (
        MOTHER,
        "mental_health",
        "{M} was treated for depression; {F} tells the court she is unstable",
    ),
    (MOTHER, "poverty_housing", "{M} lost her flat after {F} ran up her debts"),
    (MOTHER, "culture_faith", "{F} uses {M}'s community's views on divorce to shame her"),
]

RESPONSES = {
    "police_callout": "Police attended after a neighbour called",
    "arrest": "{F} arrested for assault",
    "protective_order": "Protective order granted to {M} and the children",
    "court_hearing": "Family court hearing on contact",
    "child_welfare_contact": "Child welfare home visit",
    "service_referral": "{M} referred to a domestic abuse advocate",
    "service_engagement": "{F} attended a perpetrator programme intake",
}


def _fill(text: str, child: str) -> str:
    return text.format(F=NAMES[FATHER], M=NAMES[MOTHER], C=NAMES[child])


def _phase_of(day: dt.date) -> str:
    return next(name for name, start, end in PHASES if start <= day <= end)


def _random_day(rng: random.Random, start: dt.date, end: dt.date, skew: float = 1.0) -> dt.date:
    # skew > 1 crowds dates towards the end: the behaviours escalate.
    return start + dt.timedelta(days=int((end - start).days * rng.random() ** (1 / skew)))


def _when(rng: random.Random, day: dt.date) -> str | None:
    """A date written the way consultation notes give it: mostly exact, often not."""
    roll = rng.random()
    if roll < 0.60:
        return day.isoformat()
    if roll < 0.72:
        return f"{day:%Y-%m}"
    if roll < 0.79:
        return f"{day:%Y-%m}~"
    if roll < 0.83:
        return f"{day:%Y-%m}?"
    if roll < 0.85:
        return f"{day.year}~"
    if roll < 0.92:
        end = day + dt.timedelta(days=rng.randint(30, 200))
        return f"{day:%Y-%m}/{end:%Y-%m}"
    if roll < 0.96:
        return f"{day:%Y-%m}/.."
    return None


def make_case(n_records: int = 120, seed: int = 1) -> Case:
    """A valid fictional case with ``n_records`` timeline records (deterministic in ``seed``)."""
    rng = random.Random(seed)
    first, last = PHASES[0][1], PHASES[-1][2]
    data: dict[str, Any] = {
        "format": "casemap/1",
        "case_id": f"gen-{n_records}-{seed}",
        "title": "Generated: the Hale family (fictional)",
        "people": [
            {
                "id": FATHER,
                "role": "perpetrator",
                "name": "Daniel Hale",
                "label": "Father",
                "aliases": ["Dan"],
            },
            {"id": MOTHER, "role": "survivor", "name": "Sara Hale", "label": "Mother"},
            {
                "id": CHILD_A,
                "role": "child",
                "name": "Mia Hale",
                "label": "Child A",
                "birth_date": "2012-04",
            },
            {
                "id": CHILD_B,
                "role": "child",
                "name": "Leo Hale",
                "label": "Child B",
                "birth_date": "2017",
            },
        ],
        "behaviours": [],
        "efforts": [],
        "impacts": [],
        "intersections": [],
        "responses": [],
    }
    kinds = ["behaviours"] * 45 + ["efforts"] * 22 + ["impacts"] * 20 + ["responses"] * 9
    kinds += ["intersections"] * 4
    behaviour_days: list[tuple[str, dt.date, str]] = []
    for n in range(1, n_records + 1):
        kind = rng.choice(kinds)
        child = rng.choice(CHILDREN)
        day = _random_day(rng, first, last, skew=1.6 if kind == "behaviours" else 1.2)
        when = _when(rng, day)
        record: dict[str, Any] = {
            "id": f"r{n}",
            "source": rng.choice(
                ["survivor", "police", "child", "school", "child_welfare_record", "collateral"]
            ),
        }
        if when is not None:
            record["when"] = when
        if kind == "behaviours":
            phase = _phase_of(day)
            weights = CATEGORY_WEIGHTS[phase]
            category = rng.choices(list(weights), list(weights.values()))[0]
            present = [c for c in CHILDREN if rng.random() < 0.45]
            targets = [MOTHER]
            if category in ("direct_harm_to_child", "neglect_of_child_needs"):
                targets = [child]
            record |= {
                "perpetrator": FATHER,
                "category": category,
                "targets": targets,
                "children_present": present,
                "phase": phase,
                "frequency": rng.choice(["once", "once", "repeated", "ongoing"]),
                "description": _fill(rng.choice(BEHAVIOURS[category]), child),
            }
            behaviour_days.append((record["id"], day, category))
        elif kind == "efforts":
            category = rng.choice(list(EFFORTS))
            record |= {
                "by": MOTHER,
                "category": category,
                "children": [child],
                "description": _fill(rng.choice(EFFORTS[category]), child),
            }
        elif kind == "impacts":
            domain = rng.choice(list(IMPACTS))
            earlier = [b for b, bday, _ in behaviour_days if bday <= day]
            caused = rng.sample(earlier[-6:], k=min(len(earlier[-6:]), rng.randint(0, 2)))
            record |= {
                "child": child,
                "domain": domain,
                "caused_by": caused,
                "description": _fill(rng.choice(IMPACTS[domain]), child),
            }
        elif kind == "intersections":
            person, factor, text = rng.choice(INTERSECTIONS)
            record |= {"person": person, "factor": factor, "description": _fill(text, child)}
        else:
            response = rng.choice(list(RESPONSES))
            record |= {"kind": response, "description": _fill(RESPONSES[response], child)}
        if rng.random() < 0.06:
            record["confidential"] = True
        data[kind].append(record)
    return parse_case(data)
