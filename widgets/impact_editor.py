"""Adverse impact of his behaviour on each child (component 4), linked to what caused it."""

from __future__ import annotations

from casemap import taxonomy
from casemap.model import Case, ChildImpact

from .behaviour_editor import COMMON_TAIL, when_text
from .record_editor import FieldSpec, RecordEditor, first_with_role, short


class ImpactEditor(RecordEditor):
    """Add, edit and delete impacts on a child, each with the behaviours that caused it."""

    noun = "impact"
    section = "impacts"
    model = ChildImpact
    prefix = "i"
    css = "cm-impact-editor"
    specs = (
        FieldSpec(
            "child", "Which child", "person", roles=("child",), default=first_with_role("child")
        ),
        FieldSpec("domain", "Area of the child's life", "choice", taxonomy="impact_domain"),
        FieldSpec(
            "description",
            "What the child lives with now",
            "longtext",
            placeholder="e.g. 'Leo startles at loud noises and will not sleep alone'",
        ),
        FieldSpec("when", "When", "date"),
        FieldSpec("caused_by", "Caused by his behaviours", "records"),
        *COMMON_TAIL,
    )

    def record_options(self, case: Case, spec: FieldSpec) -> list[tuple[str, str]]:
        return [
            (
                f"{b.when or 'date not known'} · "
                f"{taxonomy.label('behaviour_category', b.category)} · {short(b.description, 50)}",
                b.id,
            )
            for b in case.behaviours
        ]

    def label(self, record: ChildImpact, case: Case) -> str:
        child = case.person(record.child)
        who = child.label if child else record.child
        dom = taxonomy.label("impact_domain", record.domain)
        return f"{who} · {dom} · {short(record.description, 45)} ({when_text(record)})"
