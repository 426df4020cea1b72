"""The therapist's brief for one client, built from their responses by pure rules (no Flask).

`build_brief(history)` returns a `Brief`; every sentence in it is an untranslated N_ message (or a
declaration's lazy `Choice.note`) for the template to translate with `_(message, **params)`.
"""

from __future__ import annotations

from intake.questionnaires import Audience, Value

from .alerts import alerts
from .findings import first_appointment
from .groups import AlertGroup, group_alerts
from .model import (
    Alert,
    AlertKind,
    Brief,
    ChecklistItem,
    Finding,
    History,
    Point,
    Quote,
    Record,
    Thresholds,
    TimelineEntry,
)
from .own_words import own_words
from .records import latest, ordered, visible_answers
from .room import room_checklist
from .timeline import timeline
from .trends import trends


def build_brief(history: History, audience: str = Audience.THERAPIST) -> Brief:
    """Return the brief for one client, as the given audience may see it."""
    audience = Audience(audience)  # refuse a typo even when there is nothing to hide yet
    # Hiding coordinator-only answers first means no rule below can leak them.
    records = ordered(history.records, audience)
    newest = latest(records)
    return Brief(
        own_words=own_words(newest),
        first_appointment=first_appointment(newest.get("intake")),
        room_checklist=room_checklist(newest),
        timeline=timeline(records),
        trends=trends(records),
        alerts=alerts(records, history),
    )


__all__ = [
    "Alert",
    "AlertGroup",
    "AlertKind",
    "Audience",
    "Brief",
    "ChecklistItem",
    "Finding",
    "History",
    "Point",
    "Quote",
    "Record",
    "Thresholds",
    "TimelineEntry",
    "Value",
    "build_brief",
    "group_alerts",
    "visible_answers",
]
