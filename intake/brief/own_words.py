"""The client's own words, which lead the brief: goals, what to talk about, notes."""

from __future__ import annotations

from collections.abc import Mapping

from .declared import question, step_questions
from .model import Quote, Record
from .values import written

GOALS = step_questions("intake", "goals")
# (questionnaire, question, kind of quote), in the order the brief shows them.
SOURCES = (
    *(("intake", goal.key, "goal") for goal in GOALS),
    ("pre_session", question("pre_session", "talk_about").key, "talk_about"),
    ("pre_session", question("pre_session", "hard_to_say").key, "hard_to_say"),
    ("post_session", question("post_session", "note").key, "note"),
)


def own_words(latest: Mapping[str, Record]) -> list[Quote]:
    """Return the goals from the latest intake and the latest check-ins' free text."""
    # Only the latest response of each kind: an older "what to talk about today" is stale, and
    # the timeline keeps every earlier one.
    quotes = []
    for questionnaire, key, kind in SOURCES:
        record = latest.get(questionnaire)
        text = written(record.answers.get(key)) if record else None
        if record and text:
            quotes.append(Quote(kind, text, record.locale, record.submitted_at))
    return quotes
