"""The client's own words, which lead the brief: goals, what to talk about, notes."""

from __future__ import annotations

from collections.abc import Mapping

from intake.questionnaires import where

from .model import Quote, Record
from .values import written

# The questions declared `quoted`, in registry order: the intake's goals first, then what
# the client wrote before and after their latest appointment.
SOURCES = tuple((questionnaire.key, question.key) for questionnaire, question in
                where(quoted=True))


def own_words(latest: Mapping[str, Record]) -> list[Quote]:
    """Return the goals from the latest intake and the latest check-ins' free text."""
    # Only the latest response of each kind: an older "what to talk about today" is stale, and
    # the timeline keeps every earlier one.
    quotes = []
    for questionnaire, key in SOURCES:
        record = latest.get(questionnaire)
        text = written(record.answers.get(key)) if record else None
        if record and text:
            quotes.append(Quote(questionnaire, key, text, record.locale, record.submitted_at))
    return quotes
