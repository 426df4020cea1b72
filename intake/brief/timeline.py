"""Every response, newest first, with its notable answers."""

from __future__ import annotations

from collections.abc import Iterable

from intake.questionnaires import REGISTRY

from .declared import only_exclusive
from .model import Pair, Record, TimelineEntry
from .values import answered


def highlights(record: Record) -> list[Pair]:
    """Return the answered questions in declared order, less "nothing to report" choices."""
    declared = REGISTRY.get(record.questionnaire)
    if declared is None:
        return []
    return [
        (q.key, record.answers[q.key])
        for q in declared.questions_at(record.version)
        if answered(record.answers.get(q.key)) and not only_exclusive(q, record.answers[q.key])
    ]


def timeline(records: Iterable[Record]) -> list[TimelineEntry]:
    """Return one entry per record, newest first, from records oldest first."""
    return [
        TimelineEntry(r.id, r.questionnaire, r.submitted_at, r.locale, highlights(r),
                      version=r.version, appointment_at=r.appointment_at, room=r.room)
        for r in reversed(list(records))
    ]
