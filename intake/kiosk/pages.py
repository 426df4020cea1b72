"""Client pages that are kept per worker while they hold nothing that identifies the client.

Rendering a step (its questions, choices and labels, in one language) is most of what a
client page costs, and most views of a step look the same for everyone: the step has not
been answered yet, or only with choice codes. Those pages are kept (infra/keeping.py) per
language and practice settings. A page that shows free text, a goal in the client's
words, an error, a message or a code to come back with is never kept.
"""

from __future__ import annotations

from flask import render_template, session

from ..answers.drafts import Draft
from ..infra.keeping import Shelf, csrf_token
from ..questionnaires import Question, Value
from ..questionnaires.flow import step_index, visible_questions
from .forms import CodeForm, StepForm, step_form_class
from .state import Farewell

_STEPS = Shelf("step_pages", 512, by=("locale", "practice"))
_WELCOME = Shelf("welcome_pages", 64, by=("locale", "practice"))


def welcome_page(farewell: Farewell | None = None) -> str:
    """Return the welcome page: the same for everyone who has not started.

    With a farewell (right after a visit on this tablet), it says how the visit ended.
    """
    chosen = bool(session.get("locale"))

    def render(token: str) -> str:
        return render_template("kiosk/welcome.html", form=CodeForm(meta={"csrf": False}),
                               csrf_value=token, farewell=farewell)

    if farewell is not None:
        return render(csrf_token())
    return _WELCOME.page((chosen,), render)


def step_page(draft: Draft, key: str, form: StepForm | None = None,
              on_phone: bool = False) -> str | None:
    """Return the page of one step of a draft (None if the client does not see that step).

    With `form`, the step shows what was just sent and its errors; otherwise what is saved.
    The progress bar counts the questionnaire's declared steps, so it only moves forward
    when a follow-up step appears or is skipped.
    """
    steps = draft.steps()
    index = step_index(steps, key)
    if index is None:
        return None
    step = steps[index]
    questions = visible_questions(step, draft.goals)

    def render(token: str) -> str:
        shown = form or step_form_class(draft.questionnaire.key, step.key).showing(
            draft.answers)
        return render_template(
            "kiosk/step.html", draft=draft, step=step, questions=questions, form=shown,
            number=index + 1, is_last=index == len(steps) - 1, done=done, of=len(declared),
            on_phone=on_phone, csrf_value=token)

    declared = draft.questionnaire.steps
    done = declared.index(step) + 1
    answers = _shareable(questions, draft.answers)
    if form is not None or answers is None:
        return render(csrf_token())
    return _STEPS.page((draft.questionnaire.key, step.key, index, len(steps) - index, on_phone,
                        answers), render)


def _shareable(questions: list[Question], answers: dict[str, Value]) -> tuple | None:
    """Return the step's answers as a key part, or None when they are the client's words."""
    frozen = []
    for question in questions:
        if question.goal:
            return None  # shows the goal as the client wrote it
        value = answers.get(question.key)
        if value is None:
            continue
        if question.kind.is_text:
            return None
        frozen.append((question.key, tuple(value) if isinstance(value, list) else value))
    return tuple(frozen)
