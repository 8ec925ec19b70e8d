"""What each audience may see: the one place where confidentiality is decided.

Every renderer (summary, timeline, exports) receives the output of :func:`apply_audience` and
never decides confidentiality itself.

First version (lead): consultation sees everything; every other audience loses survivor-
confidential records and the worker-safety section. The summary issue extends this to the full
audience rules of shared/casefile-format.md and issue 4.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import SECTIONS, Case, Record, WorkerSafety, revalidate

AUDIENCES = ("consultation", "case-record", "perpetrator", "survivor", "training")


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


def apply_audience(case: Case, audience: str) -> AudienceView:
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience '{audience}': expected one of {', '.join(AUDIENCES)}")
    if audience == "consultation":
        return AudienceView(audience, case)
    update = {s: [r for r in getattr(case, s) if not r.confidential] for s in SECTIONS}
    update["worker_safety"] = WorkerSafety()
    update["plans"] = case.plans.model_copy(
        update={k: [r for r in getattr(case.plans, k) if not r.confidential]
                for k in ("survivor", "perpetrator")}
    )
    return AudienceView(audience, revalidate(case.model_copy(update=update)))
