"""Step 7: harm and danger statements, safety goals, and the two separate plans."""

from __future__ import annotations

from casemap import taxonomy
from casemap.model import Case, PlanItem, Statement

from .behaviour_editor import COMMON_TAIL
from .record_editor import FieldSpec, RecordEditor, first_with_role, short


class StatementEditor(RecordEditor):
    """Harm statements, danger statements and safety goals, about his behaviour."""

    noun = "statement"
    section = "statements"
    model = Statement
    prefix = "st"
    css = "cm-statement-editor"
    specs = (
        FieldSpec("kind", "Kind", "choice", taxonomy="statement_kind"),
        FieldSpec(
            "about",
            "Whose behaviour it is about",
            "person",
            optional=True,
            default=first_with_role("perpetrator"),
        ),
        FieldSpec(
            "description",
            "Statement",
            "longtext",
            placeholder="Who is worried, about what he does, what could happen to the "
            "children if nothing changes",
        ),
        *COMMON_TAIL,
    )

    def label(self, record: Statement, case: Case) -> str:
        return f"{taxonomy.label('statement_kind', record.kind)} · {short(record.description, 60)}"


class PlanEditor(RecordEditor):
    """One of the two plans; each item names an observable change, not attendance."""

    noun = "plan item"
    model = PlanItem
    prefix = "pl"
    specs = (
        FieldSpec("action", "Action", "text"),
        FieldSpec("purpose", "Purpose: what it changes for the children", "text"),
        FieldSpec(
            "success_indicator",
            "What we will see when it works",
            "text",
            placeholder="observable behaviour, not programme completion",
        ),
        FieldSpec("due", "Due", "date"),
        FieldSpec("status", "Status", "choice", taxonomy="plan_status"),
        FieldSpec("description", "Notes", "longtext"),
        FieldSpec("confidential", "Survivor-confidential", "flag"),
    )

    def label(self, record: PlanItem, case: Case) -> str:
        status = taxonomy.label("plan_status", record.status)
        return f"{short(record.action or record.description, 55)} · {status}"


class PerpetratorPlanEditor(PlanEditor):
    noun = "item of his plan"
    section = "plans.perpetrator"
    prefix = "pp"
    css = "cm-perpetrator-plan"


class SurvivorPlanEditor(PlanEditor):
    noun = "item of her plan"
    section = "plans.survivor"
    prefix = "sp"
    css = "cm-survivor-plan"
