"""Putting a client's responses in order, and hiding what the reader may not see."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from intake.questionnaires import REGISTRY

from .model import Record, Value


def visible_answers(questionnaire: str, answers: Mapping[str, Value],
                    audience: str) -> dict[str, Value]:
    """Return a copy of one response's answers, less those this audience may not see.

    Who may read an answer is declared on its question (`for_coordinator_unless`).
    """
    declared = REGISTRY.get(questionnaire)
    return declared.readable(answers, audience) if declared else dict(answers)


def ordered(records: Iterable[Record], audience: str) -> list[Record]:
    """Return the records oldest first, each with only the answers the audience may see."""
    return [
        replace(record, answers=visible_answers(record.questionnaire, record.answers, audience))
        for record in sorted(records, key=lambda r: (r.submitted_at, r.id))
    ]


def latest(records: Iterable[Record]) -> dict[str, Record]:
    """Return the latest record of each questionnaire, from records oldest first."""
    found: dict[str, Record] = {}
    for record in records:
        found[record.questionnaire] = record
    return found
