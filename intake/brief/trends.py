"""Ratings over time: how each appointment went, and progress on each goal."""

from __future__ import annotations

from collections.abc import Iterable

from intake.questionnaires import REGISTRY, Question

from .declared import scales
from .model import Point, Record
from .values import number


def _goal_progress() -> tuple[Question, ...]:
    return tuple(q for q in REGISTRY["periodic"].questions() if q.goal)


# Each series a chart draws: its name, the questionnaire, and the questions (one line each).
SERIES: dict[str, tuple[str, tuple[Question, ...]]] = {
    "ratings": ("post_session", scales("post_session")),
    "goals": ("periodic", _goal_progress()),
}
_BY_QUESTIONNAIRE = {key: tuple(q.key for q in questions) for key, questions in SERIES.values()}


def trends(records: Iterable[Record]) -> dict[str, list[Point]]:
    """Return each series oldest first, from records oldest first; every series key is present."""
    series: dict[str, list[Point]] = {key: [] for keys in _BY_QUESTIONNAIRE.values()
                                      for key in keys}
    for record in records:
        for key in _BY_QUESTIONNAIRE.get(record.questionnaire, ()):
            # Skipped and "I'd rather not say" are not points: a gap, not a zero.
            value = number(record.answers.get(key))
            if value is not None:
                series[key].append(Point(record.submitted_at, value))
    return series
