"""The casefile taxonomies: ids, labels and one-line help, loaded from ``taxonomy.json``.

The ids are the contract of ``casemap/1``; labels and help are practice language
(shared/domain.md section 2) that the UI and the renderers show.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    help: str


@cache
def _data() -> dict[str, dict[str, dict[str, str]]]:
    text = resources.files("casemap").joinpath("taxonomy.json").read_text("utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def kinds() -> list[str]:
    """Names of every taxonomy (``behaviour_category``, ``source`` ...)."""
    return list(_data())


def terms(kind: str) -> list[Term]:
    """The terms of one taxonomy, in their documented order."""
    return [Term(id=k, **v) for k, v in _data()[kind].items()]


def ids(kind: str) -> tuple[str, ...]:
    """The ids of one taxonomy, in order."""
    return tuple(_data()[kind])


def label(kind: str, term_id: str) -> str:
    """The label of a term, or the id itself when the taxonomy does not know it."""
    entry = _data()[kind].get(term_id)
    return entry["label"] if entry else term_id


def help_text(kind: str, term_id: str) -> str:
    entry = _data()[kind].get(term_id)
    return entry["help"] if entry else ""


# Component 2 of the model: the categories that are by definition aimed at the children
# (shared/casefile-format.md, end of "Taxonomies").
CHILD_DIRECTED_CATEGORIES = frozenset(
    {"using_children", "undermining_parenting", "direct_harm_to_child", "neglect_of_child_needs"}
)
