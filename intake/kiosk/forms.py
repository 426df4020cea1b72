"""Step forms, built from the questionnaire declarations, and the code form."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms.validators import StopValidation

from ..questionnaires import RATHER_NOT_SAY, REGISTRY, Kind, Question, Questionnaire, Step

ONLY_ONE = _l("Please pick only one answer.")
NOT_OFFERED = _l("Please pick one of the answers shown.")
TOO_LONG = _l("Please shorten this to %(max)d characters or fewer.")
EXCLUSIVE = _l("\u201c%(choice)s\u201d cannot be picked together with other answers.")

# Control characters (but tab and newline) and NUL bytes never belong in an answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    """One question of a step: parses and checks what the browser sent for it."""

    def __init__(self, question: Question, **kwargs):
        super().__init__(label=question.label, **kwargs)
        self.question = question
        self.raw: list[str] = []

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw = valuelist
        question = self.question
        if question.kind is Kind.MULTIPLE:
            # Policy: a choice sent twice counts once; order is the declaration's.
            sent = set(valuelist)
            self.data = [c.code for c in question.all_choices if c.code in sent] + sorted(
                sent - {c.code for c in question.all_choices}
            )
        elif question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
            text = valuelist[0] if valuelist else ""
            self.data = unicodedata.normalize("NFC", _CONTROL.sub("", text)).strip() or None
        else:
            self.data = valuelist[0] if valuelist and valuelist[0] != "" else None

    def pre_validate(self, form) -> None:
        question = self.question
        if question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
            if self.data and len(self.data) > question.max_length:
                raise StopValidation(TOO_LONG % {"max": question.max_length})
            return
        if question.kind in (Kind.SINGLE, Kind.SCALE) and len(set(self.raw)) > 1:
            # Policy: two different values for one answer are refused, never guessed.
            raise StopValidation(ONLY_ONE)
        if question.kind is Kind.SCALE:
            allowed = {str(n) for n in range(question.low, question.high + 1)}
            allowed.add(RATHER_NOT_SAY)
            if self.data is not None and self.data not in allowed:
                raise StopValidation(NOT_OFFERED)
            return
        codes = {choice.code for choice in question.all_choices}
        chosen = self.data if isinstance(self.data, list) else [self.data]
        if any(code is not None and code not in codes for code in chosen):
            raise StopValidation(NOT_OFFERED)
        if question.kind is Kind.MULTIPLE and len(chosen) > 1:
            for choice in question.all_choices:
                if choice.exclusive and choice.code in chosen:
                    raise StopValidation(EXCLUSIVE % {"choice": choice.label})

    def value(self):
        """Return the answer to store: a code, a number, a list of codes or text."""
        if self.question.kind is Kind.SCALE and self.data not in (None, RATHER_NOT_SAY):
            return int(self.data)
        return self.data

    def _value(self) -> str:
        return self.data if isinstance(self.data, str) else ""


class StepForm(FlaskForm):
    """The base of every step form.

    CSRFProtect checks every POST before the view runs, so the form does not check
    (or sign a new token) a second time; the page carries the token itself.
    """

    class Meta:
        csrf = False

    def question_fields(self) -> list[QuestionField]:
        return [field for field in self if isinstance(field, QuestionField)]


def step_form_class(questionnaire: Questionnaire, step: Step) -> type[StepForm]:
    """Return the form class of one step; built once, since declarations never change."""
    return _form_class(questionnaire.key, step.key)


@cache
def _form_class(questionnaire_key: str, step_key: str) -> type[StepForm]:
    # Keyed by name: hashing the declarations would translate every label they hold.
    step = next(s for s in REGISTRY[questionnaire_key].steps if s.key == step_key)
    fields = {question.key: QuestionField(question) for question in step.questions}
    return type(f"{questionnaire_key}_{step_key}_form", (StepForm,), fields)
