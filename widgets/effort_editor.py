"""Her protective efforts (component 3): the full spectrum, not only leaving.

Safety planning is survivor-confidential by default, and the form shows a badge whenever a
record is confidential.
"""

from __future__ import annotations

from casemap import taxonomy
from casemap.model import Case, ProtectiveEffort

from .behaviour_editor import COMMON_TAIL, when_text
from .record_editor import FieldSpec, RecordEditor, first_with_role, short

CONFIDENTIAL_BY_DEFAULT = ("safety_planning",)


class EffortEditor(RecordEditor):
    """Add, edit and delete her protective efforts."""

    noun = "protective effort"
    section = "efforts"
    model = ProtectiveEffort
    prefix = "e"
    css = "cm-effort-editor"
    specs = (
        FieldSpec("category", "What kind of effort", "choice", taxonomy="effort_category"),
        FieldSpec(
            "description",
            "What she did for the children",
            "longtext",
            placeholder="e.g. 'Ana took Leo and Mia to her sister's when Marco started drinking'",
        ),
        FieldSpec("when", "When", "date"),
        FieldSpec(
            "by",
            "Who",
            "person",
            roles=("survivor", "other_adult", "child", "perpetrator"),
            default=first_with_role("survivor"),
        ),
        FieldSpec("children", "For which children", "people", roles=("child",)),
        *COMMON_TAIL,
    )

    def defaults(self, case: Case) -> dict:
        out = super().defaults(case)
        out["confidential"] = out.get("category") in CONFIDENTIAL_BY_DEFAULT
        return out

    def _confidential_triggers(self) -> tuple[str, ...]:
        return ("category",)

    def _auto_confidential(self, name: str) -> None:
        # Choosing safety planning marks the record confidential; the consultant can still
        # untick it, deliberately.
        if name == "category" and self.fields["category"].value in CONFIDENTIAL_BY_DEFAULT:
            self.fields["confidential"].value = True

    def label(self, record: ProtectiveEffort, case: Case) -> str:
        cat = taxonomy.label("effort_category", record.category)
        return f"{when_text(record)} · {cat} · {short(record.description, 50)}"
