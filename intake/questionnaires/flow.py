"""Which steps and questions a client sees, given what they answered so far."""

from __future__ import annotations

from collections.abc import Mapping

from .model import Question, Questionnaire, Step


def visible_questions(step: Step, goals: Mapping[int, str]) -> list[Question]:
    """Return a step's questions, less those about a goal the client has not written."""
    return [q for q in step.questions if q.goal is None or goals.get(q.goal)]


def visible_steps(
    questionnaire: Questionnaire, answers: Mapping[str, object], goals: Mapping[int, str]
) -> list[Step]:
    """Return the steps to show, in order."""
    return [
        step
        for step in questionnaire.steps
        if (step.show_if is None or step.show_if.holds(answers))
        and visible_questions(step, goals)
    ]


def step_index(steps: list[Step], key: str) -> int | None:
    for index, step in enumerate(steps):
        if step.key == key:
            return index
    return None
