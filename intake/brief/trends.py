"""Ratings over time: post-session feedback and progress on each goal."""

from __future__ import annotations

from collections.abc import Iterable

from intake.questionnaires import REGISTRY

from .declared import scales
from .model import Point, Record
from .values import number

POST_SESSION_SCALES = tuple(q.key for q in scales("post_session"))
GOAL_PROGRESS = tuple(q.key for q in REGISTRY["periodic"].questions() if q.goal is not None)
SERIES = {"post_session": POST_SESSION_SCALES, "periodic": GOAL_PROGRESS}


def trends(records: Iterable[Record]) -> dict[str, list[Point]]:
    """Return each series oldest first, from records oldest first; every series key is present."""
    series: dict[str, list[Point]] = {key: [] for keys in SERIES.values() for key in keys}
    for record in records:
        for key in SERIES.get(record.questionnaire, ()):
            # Skipped and "I'd rather not say" are not points: a gap, not a zero.
            value = number(record.answers.get(key))
            if value is not None:
                series[key].append(Point(record.submitted_at, value))
    return series
