"""Building records and histories for the brief's tests, without a database or an app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from intake.brief import Brief, History, Record, Thresholds, Value, build_brief

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
_ids = count(1)


def day(n: float) -> datetime:
    """Return the moment n days after T0."""
    return T0 + timedelta(days=n)


def record(questionnaire: str, answers: dict[str, Value] | None = None, *, days: float = 0,
           id: int | None = None, locale: str = "en", room: str | None = None) -> Record:
    """Return a submitted response, n days after T0."""
    return Record(
        id=id if id is not None else next(_ids), questionnaire=questionnaire,
        submitted_at=day(days), locale=locale, answers=dict(answers or {}),
        appointment_at=day(days), room=room,
    )


def history(*records: Record, now: datetime | None = None,
            acknowledged: dict[str, tuple[str, datetime]] | None = None,
            thresholds: Thresholds | None = None, client_since: datetime = T0) -> History:
    """Return a history; now defaults to a day after the latest record (no silence)."""
    latest = max((r.submitted_at for r in records), default=client_since)
    return History(
        records=list(records), acknowledged=acknowledged or {},
        now=now or latest + timedelta(days=1), thresholds=thresholds or Thresholds(),
        client_since=client_since,
    )


def brief(*records: Record, audience: str = "therapist", **options) -> Brief:
    """Return the brief of these records."""
    return build_brief(history(*records, **options), audience=audience)


def intake(**answers: Value) -> Record:
    """Return an intake with these answers."""
    return record("intake", answers)


def post(days: float = 0, **answers: Value) -> Record:
    """Return a post-session feedback with these answers."""
    return record("post_session", answers, days=days)


def periodic(days: float = 0, **answers: Value) -> Record:
    """Return a periodic survey with these answers."""
    return record("periodic", answers, days=days)
