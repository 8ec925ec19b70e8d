"""The steps of a consultation, each with a few lines of guidance and prompt questions.

Guidance paraphrases shared/domain.md (section numbers in brackets); prompts are
solution-focused questions (open, "how" and "when" rather than "why" and "if", domain.md 4.1).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    component: int | None
    guidance: tuple[str, ...]
    prompts: tuple[str, ...]

    @property
    def unfold(self) -> int | None | bool:
        """The missing-information group to unfold beside this step: its component; "across
        the case" (None) for the plans; False (nothing) for the other steps."""
        if self.component is not None:
            return self.component
        return None if self.key == "plans" else False


STEPS: tuple[Step, ...] = (
    Step(
        "people",
        "1 · Case and people",
        None,
        (
            "Who is in this family, and in which role. Labels such as 'Father' or 'Child A' are "
            "what shared documents use instead of names.",
            "Record each child's age: the impact of his behaviour is assessed child by child "
            "(1.3, 2.4).",
        ),
        (
            "Who lives in the home, and who else is close to the children?",
            "Which other partners or children has he had, and where are they now?",
        ),
    ),
    Step(
        "pattern",
        "2 · His pattern",
        1,
        (
            "Map his behaviours before, during and after the presenting incident, in earlier "
            "relationships and in other settings: a pattern, not one incident (1.6).",
            "Write active sentences that name him ('Marco pushed Ana'), and record exact words "
            "rather than a paraphrase (1.7).",
        ),
        (
            "What does he do when he does not get his way? When did that last happen?",
            "How does he keep track of where she is and whom she talks to?",
            "What is not known yet about his pattern, and who could tell us?",
        ),
    ),
    Step(
        "child_harm",
        "3 · His actions to harm the children",
        2,
        (
            "His choices as a parent: direct harm to a child, using the children, undermining her "
            "parenting, ignoring their needs. Perpetrating abuse is a parenting choice (1.1, 2.2).",
            "Hold him to the same parenting standards as her (1.1).",
        ),
        (
            "How has his behaviour got in the way of the children's routines, school or health "
            "care?",
            "What has he said to the children about their mother?",
            "When the children are with him, what are they worried about?",
        ),
    ),
    Step(
        "efforts",
        "4 · Her protective efforts",
        3,
        (
            "The full spectrum of what she does to keep the children safe and well, day to day: "
            "shielding, managing him, routines, soothing, help-seeking (2.3).",
            "Leaving is not the only protective effort. Safety planning is survivor-confidential "
            "and never reaches him (6).",
        ),
        (
            "What have you done to keep the children safe when he is like that?",
            "How have you kept their routines going, and who has helped you?",
            "When things were a little better, what was different?",
        ),
    ),
    Step(
        "impact",
        "5 · Impact on each child",
        4,
        (
            "For each child: health, feelings and behaviour, development, school, friendships, "
            "relationships with each parent, stability (2.4).",
            "Link each impact to the behaviours that caused it, so the summary reads "
            "'his X → the child's Y' (2.4).",
        ),
        (
            "How does the child show that they are worried, and when is that most noticeable?",
            "What has the child said, in their own words?",
            "On a scale of 0 to 10, how safe does the child feel at home now?",
        ),
    ),
    Step(
        "intersections",
        "6 · Intersections and worker safety",
        5,
        (
            "His substance use or mental health as it relates to his pattern; hers as caused, "
            "worsened or used by him; culture, faith, immigration, poverty. Context is not an "
            "excuse (2.5).",
            "Worker safety is a restricted section: his tactics against workers, violence outside "
            "the family, and the plan for any visit to him (5).",
        ),
        (
            "How has his behaviour affected her recovery, appointments or treatment?",
            "What would make a visit to him safe for the worker, and who needs to know first?",
        ),
    ),
    Step(
        "plans",
        "7 · Statements and plans",
        None,
        (
            "Write harm and danger statements about his behaviour, in plain language, and a safety "
            "goal for each (4.1, 4.3).",
            "Two separate plans: change tasks go on his plan; keep her tasks few, and never in his "
            "plan. Each item has a purpose and an observable sign of change (1.7, 6).",
        ),
        (
            "What needs to happen for everyone to be confident the children are safe?",
            "What will he be doing differently, and who will see it?",
            "What support does she want, and what is already working well?",
        ),
    ),
    Step(
        "timeline",
        "8 · Timeline",
        None,
        (
            "His behaviours, her efforts, the children's experiences and the system's responses "
            "on one time line: gaps and escalation show at a glance.",
            "Approximate dates show as ranges; nothing needs an exact day to be placed.",
        ),
        (
            "What happened around the time things got worse?",
            "Where are the gaps in what we know, and who could fill them?",
        ),
    ),
    Step(
        "summary",
        "9 · Summary",
        None,
        (
            "Choose who the summary is for: the audience decides what it may contain. "
            "Survivor-confidential records stay in the consultation copy; worker safety never "
            "goes to the family or him (5, 6).",
            "A copy of every export is kept in the exports folder, outside anything the server "
            "shows.",
        ),
        (
            "What are the three things the worker will do next?",
            "What should the supervisor follow up, and when?",
        ),
    ),
)
