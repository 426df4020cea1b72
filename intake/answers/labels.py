"""Answers in the reader's language: codes become labels, whatever language the client used."""

from __future__ import annotations

from babel.lists import format_list
from flask_babel import _, get_locale, gettext

from ..questionnaires import RATHER_NOT_SAY, REGISTRY, Kind, Question


def question_of(questionnaire: str, key: str) -> Question | None:
    declared = REGISTRY.get(questionnaire)
    return declared.question(key) if declared else None


def question_label(questionnaire: str, key: str) -> str:
    """Return the question as the client read it, in the reader's language."""
    question = question_of(questionnaire, key)
    return str(question.label) if question else key


def is_text(questionnaire: str, key: str) -> bool:
    question = question_of(questionnaire, key)
    return bool(question and question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT))


def answer_label(questionnaire: str, key: str, value) -> str:
    """Return a structured answer as words in the reader's language (free text as written)."""
    question = question_of(questionnaire, key)
    if value == RATHER_NOT_SAY or value == [RATHER_NOT_SAY]:
        return _("Preferred not to say")
    if question is None:
        return str(value)
    if question.kind is Kind.SCALE and isinstance(value, int):
        # Every configured locale writes these small numbers in Latin digits.
        return _("%(value)s out of %(high)s", value=value, high=question.high)
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        codes = value if isinstance(value, list) else [value]
        labels = [str(choice.label) if (choice := question.choice(code)) else code
                  for code in codes]
        return format_list(labels, locale=get_locale())
    return str(value)


def translate(message, **params) -> str:
    """Translate a brief message (an N_ string) or pass a lazy note through."""
    if isinstance(message, str):
        return gettext(message, **params) if params else gettext(message)
    return str(message)
