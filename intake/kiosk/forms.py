"""Step forms, built from the questionnaire declarations, and the code form.

Each field asks its question's kind how to read and check what the browser sent
(intake/questionnaires/kinds.py); the form only carries the result and its error.
"""

from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms.validators import StopValidation

from ..questionnaires import REGISTRY, Question, Refused, Value


class CodeForm(FlaskForm):
    code = StringField(
        _l("Your check-in code"),
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "maxlength": "12",
        },
    )


class QuestionField(Field):
    """One question of a step: what the browser sent for it, read by the question's kind."""

    def __init__(self, question: Question, **kwargs):
        super().__init__(label=question.label, **kwargs)
        self.question = question
        self.raw: list = []

    def process_formdata(self, valuelist: list) -> None:
        self.raw = valuelist
        self.data = self.question.kind.parse(self.question, valuelist)

    def pre_validate(self, form) -> None:
        try:
            self.question.kind.check(self.question, self.raw, self.data)
        except Refused as refused:
            raise StopValidation(str(refused.message)) from None

    def value(self) -> Value:
        """Return the answer to store: a code, a number, a list of codes or text."""
        return self.question.kind.value(self.question, self.data)

    def _value(self) -> str:
        return self.data if isinstance(self.data, str) else ""


class StepForm(FlaskForm):
    """The base of every step form.

    CSRFProtect checks every POST before the view runs, so the form does not check
    (or sign a new token) a second time; the page carries the token itself.
    """

    QUESTIONS: tuple[Question, ...] = ()

    class Meta:
        csrf = False

    def values(self) -> dict[str, Value]:
        """Return the checked answers by question key."""
        return {field.question.key: field.value() for field in self
                if isinstance(field, QuestionField)}

    @classmethod
    def showing(cls, answers: dict[str, Value]) -> StepForm:
        """Return the form filled with stored answers, as the step shows them again."""
        return cls(formdata=None, data={
            question.key: question.kind.form_data(answers.get(question.key))
            for question in cls.QUESTIONS})


def step_form_class(questionnaire_key: str, step_key: str) -> type[StepForm] | None:
    """Return the form class of one step (None if there is no such step)."""
    return _form_class(questionnaire_key, step_key)


@cache
def _form_class(questionnaire_key: str, step_key: str) -> type[StepForm] | None:
    # Built once per step, since declarations never change; keyed by name, because hashing
    # the declarations would translate every label they hold.
    declared = REGISTRY.get(questionnaire_key)
    step = declared and next((s for s in declared.steps if s.key == step_key), None)
    if step is None:
        return None
    fields = {question.key: QuestionField(question) for question in step.questions}
    return type(f"{questionnaire_key}_{step_key}_form", (StepForm,),
                {**fields, "QUESTIONS": step.questions})
