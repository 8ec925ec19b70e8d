"""His pattern (component 1) and his actions taken to harm the children (component 2)."""

from __future__ import annotations

import html

import ipywidgets as ipw

from casemap import taxonomy
from casemap.model import Behaviour, Case

from .people_editor import age_text
from .record_editor import FieldSpec, RecordEditor, first_with_role, short

ALL_ROLES = ("perpetrator", "survivor", "child", "other_adult")

COMMON_TAIL = (
    FieldSpec("source", "Who reported it", "choice", taxonomy="source", optional=True),
    FieldSpec(
        "source_detail",
        "Source detail",
        "text",
        lens=False,
        placeholder="e.g. police report, 4 March",
    ),
    FieldSpec(
        "quote",
        "Exact words (the child's, hers, his)",
        "longtext",
        placeholder="Write their exact words rather than a paraphrase",
    ),
    FieldSpec("confidential", "Survivor-confidential", "flag"),
)


def when_text(record) -> str:
    return record.when or "date not known"


class BehaviourEditor(RecordEditor):
    """Add, edit and delete his behaviours."""

    noun = "behaviour"
    section = "behaviours"
    model = Behaviour
    prefix = "b"
    css = "cm-behaviour-editor"
    specs = (
        FieldSpec("category", "What kind of behaviour", "choice", taxonomy="behaviour_category"),
        FieldSpec(
            "description",
            "What he did",
            "longtext",
            placeholder="Name him and what he did, e.g. 'Marco pushed Ana into the door frame'",
        ),
        FieldSpec("when", "When", "date"),
        FieldSpec(
            "perpetrator",
            "Who did it",
            "person",
            roles=("perpetrator",),
            default=first_with_role("perpetrator"),
        ),
        FieldSpec("targets", "Aimed at", "people", roles=ALL_ROLES),
        FieldSpec(
            "children_present", "Children present, hearing or aware", "people", roles=("child",)
        ),
        FieldSpec("phase", "Relationship phase", "choice", taxonomy="phase"),
        FieldSpec("frequency", "How often", "choice", taxonomy="frequency"),
        *COMMON_TAIL,
    )

    def label(self, record: Behaviour, case: Case) -> str:
        cat = taxonomy.label("behaviour_category", record.category)
        return f"{when_text(record)} · {cat} · {short(record.description, 50)}"


def is_child_directed(record: Behaviour, case: Case) -> bool:
    """Component 2: aimed at a child, or of a category that is by definition about the children."""
    children = {c.id for c in case.children}
    return record.category in taxonomy.CHILD_DIRECTED_CATEGORIES or bool(
        children & set(record.targets)
    )


class ChildHarmEditor(BehaviourEditor):
    """His actions taken to harm the children: the child-directed behaviours, child by child."""

    noun = "action against a child"
    css = "cm-child-harm-editor"

    def __init__(self, session, **kwargs):
        self.per_child = ipw.HTML()
        self.per_child.add_class("cm-per-child")
        super().__init__(session, **kwargs)
        self.children = [self.per_child, *self.children]

    def shows(self, record: Behaviour, case: Case) -> bool:
        return is_child_directed(record, case)

    def defaults(self, case: Case) -> dict:
        out = super().defaults(case)
        out["category"] = "direct_harm_to_child"
        return out

    def refresh(self) -> None:
        super().refresh()
        self.per_child.value = per_child_html(self.session.case)


def per_child_html(case: Case) -> str:
    """For each child, his child-directed behaviours aimed at or witnessed by that child."""
    if not case.children:
        return "<p class='cm-help'>No children recorded yet: add them in step 1.</p>"
    blocks = []
    directed = [b for b in case.behaviours if is_child_directed(b, case)]
    for child in case.children:
        mine = [
            b
            for b in directed
            if child.id in b.targets
            or child.id in b.children_present
            or (not b.targets and not b.children_present)
        ]
        age = age_text(child.birth_date)
        head = html.escape(child.label) + (
            f" <span class='cm-help'>{html.escape(age)}</span>" if age else ""
        )
        if mine:
            items = "".join(
                f"<li>{html.escape(when_text(b))} · "
                f"{html.escape(taxonomy.label('behaviour_category', b.category))}: "
                f"{html.escape(short(b.description, 90))}</li>"
                for b in mine
            )
            body = f"<ul>{items}</ul>"
        else:
            body = "<p class='cm-help'>Nothing recorded yet for this child.</p>"
        blocks.append(f"<div class='cm-child-block'><b>{head}</b>{body}</div>")
    return "<div class='cm-per-child-list'>" + "".join(blocks) + "</div>"
