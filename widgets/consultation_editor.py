"""Step 9: the consultation itself: the worker's questions, notes and recommendations.

These are the consultant's words, read in the consultation and case-record summaries and never
in his or her copy (casemap/render/audience.py decides). Questions and recommendations are one
per line, since a sentence may hold commas.
"""

from __future__ import annotations

from casemap.model import Case, Consultation

from .record_editor import LINES, FieldSpec, RecordEditor, short


class ConsultationEditor(RecordEditor):
    """One record per consultation held on the case."""

    noun = "consultation"
    section = "consultations"
    model = Consultation
    prefix = "cn"
    css = "cm-consultation-editor"
    specs = (
        FieldSpec("date", "Date", "date"),
        FieldSpec("consultant", "Consultant", "text", lens=False),
        FieldSpec(
            "participants",
            "Who took part (roles, not names)",
            "list",
            placeholder="worker, supervisor, consultant",
            lens=False,
        ),
        FieldSpec(
            "questions",
            "The worker's questions",
            LINES,
            placeholder="one per line: what the worker wants help with",
        ),
        FieldSpec("notes", "Notes", "longtext", placeholder="what was discussed and found"),
        FieldSpec(
            "recommendations",
            "Recommendations",
            LINES,
            placeholder="one per line: who does what next, about his behaviour and the "
            "children's safety",
        ),
    )

    def label(self, record: Consultation, case: Case) -> str:
        first = record.questions[0] if record.questions else record.notes
        return f"{record.date or 'undated'} · {short(first, 55) or record.id}"
