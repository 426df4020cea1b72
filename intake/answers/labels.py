"""Answers in the reader's language: each question's kind says its answer in words.

Labels are those of the version the client answered: a reworded question or choice is
shown as the client read it.
"""

from __future__ import annotations

from flask_babel import gettext

from ..questionnaires import REGISTRY, Question, Value


def question_of(questionnaire: str, key: str) -> Question | None:
    declared = REGISTRY.get(questionnaire)
    return declared.question(key) if declared else None


def question_label(questionnaire: str, version: int, key: str) -> str:
    """Return the question as the client read it, in the reader's language."""
    question = question_of(questionnaire, key)
    return str(question.label_at(version)) if question else key


def short_label(questionnaire: str, key: str) -> str:
    """Return the few words a list or chart names the question by."""
    question = question_of(questionnaire, key)
    if question is None:
        return key
    return str(question.short_label or question.label)


def is_text(questionnaire: str, key: str) -> bool:
    """Tell whether the answer is the client's own words (shown as written, isolated)."""
    question = question_of(questionnaire, key)
    return bool(question and question.kind.is_text)


def answer_label(questionnaire: str, version: int, key: str, value: Value) -> str:
    """Return an answer as words in the reader's language (free text as written)."""
    question = question_of(questionnaire, key)
    if question is None:
        return str(value)
    return question.kind.label(question, value, version)


def translate(message, **params) -> str:
    """Translate a brief message (an N_ string) or pass a lazy note through."""
    if isinstance(message, str):
        return gettext(message, **params) if params else gettext(message)
    return str(message)


def staff_title(questionnaire: str) -> str:
    """Return how staff pages name a questionnaire ("Post-session feedback")."""
    declared = REGISTRY.get(questionnaire)
    return str(declared.staff_title or declared.title) if declared else questionnaire
