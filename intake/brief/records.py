"""Putting a client's responses in order, and hiding what the reader may not see."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from .declared import codes, question
from .model import Audience, Record, Value

PREFER_DIFFERENT = question("periodic", "prefer_different_therapist")
VISIBILITY = question("periodic", "prefer_different_visibility")
(TO_THERAPIST,) = codes(VISIBILITY, "therapist")
# Seeing even the visibility answer would tell the therapist what the client asked to keep from
# them, since it is only asked after "yes" or "not sure"; so both go together.
COORDINATOR_ONLY = (PREFER_DIFFERENT.key, VISIBILITY.key)


def visible_answers(answers: Mapping[str, Value], audience: str) -> dict[str, Value]:
    """Return a copy of the answers, less those this audience may not see."""
    if Audience(audience) is Audience.COORDINATOR:
        return dict(answers)
    if answers.get(VISIBILITY.key) == TO_THERAPIST:
        return dict(answers)
    # Missing visibility means the client did not choose: the coordinator only, as they were told.
    return {key: value for key, value in answers.items() if key not in COORDINATOR_ONLY}


def ordered(records: Iterable[Record], audience: str) -> list[Record]:
    """Return the records oldest first, each with only the answers the audience may see."""
    return [
        replace(record, answers=visible_answers(record.answers, audience))
        for record in sorted(records, key=lambda r: (r.submitted_at, r.id))
    ]


def latest(records: Iterable[Record]) -> dict[str, Record]:
    """Return the latest record of each questionnaire, from records oldest first."""
    found: dict[str, Record] = {}
    for record in records:
        found[record.questionnaire] = record
    return found
