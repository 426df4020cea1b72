"""The four questionnaires, declared once each as data, and the registry that finds them."""

from __future__ import annotations

from .intake import INTAKE
from .kinds import Cell, QuestionKind, Refused
from .model import (
    RATHER_NOT_SAY,
    Audience,
    Choice,
    Condition,
    Kind,
    Question,
    Questionnaire,
    Room,
    Step,
    Value,
    Wording,
)
from .periodic import PERIODIC
from .post_session import POST_SESSION
from .pre_session import PRE_SESSION

REGISTRY: dict[str, Questionnaire] = {
    questionnaire.key: questionnaire
    for questionnaire in (INTAKE, PRE_SESSION, POST_SESSION, PERIODIC)
}


def where(**facts) -> list[tuple[Questionnaire, Question]]:
    """Return every question asked now whose declared facts match, in registry order.

    For example `where(room=Room.PROBLEMS)`, or `where(quoted=True)`.
    """
    return [
        (questionnaire, question)
        for questionnaire in REGISTRY.values()
        for question in questionnaire.questions()
        if all(getattr(question, name) == value for name, value in facts.items())
    ]


def goal_statements() -> tuple[Questionnaire, tuple[Question, ...]]:
    """Return the questionnaire where clients state their goals, and those questions."""
    found = [(qn, q) for qn in REGISTRY.values() for q in qn.questions() if q.states_goal]
    (questionnaire,) = {qn for qn, _q in found}
    return questionnaire, tuple(q for _qn, q in found)


__all__ = [
    "RATHER_NOT_SAY",
    "REGISTRY",
    "Audience",
    "Cell",
    "Choice",
    "Condition",
    "Kind",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "Refused",
    "Room",
    "Step",
    "Value",
    "Wording",
    "goal_statements",
    "where",
]
