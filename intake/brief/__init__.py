"""The therapist's brief for one client, built from their responses by pure rules (no Flask).

`build_brief(history)` returns a `Brief`; every sentence in it is an untranslated N_ message (or a
declaration's lazy `Choice.note`) for the template to translate with `_(message, **params)`.
"""

from __future__ import annotations

from .alerts import alerts
from .findings import first_session
from .groups import AlertGroup, group_alerts
from .model import (
    Alert,
    AlertKind,
    Audience,
    Brief,
    ChecklistItem,
    Finding,
    History,
    Point,
    Quote,
    Record,
    Thresholds,
    TimelineEntry,
    Value,
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
        first_session=first_session(newest.get("intake")),
        room_checklist=room_checklist(newest),
        timeline=timeline(records),
        trends=trends(records),
        alerts=alerts(records, history),
    )


def needs_attention(brief: Brief) -> bool:
    """Tell whether any alert is still unacknowledged."""
    return any(alert.acknowledged_by is None for alert in brief.alerts)


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
    "needs_attention",
    "visible_answers",
]
