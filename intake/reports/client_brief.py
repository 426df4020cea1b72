"""The therapist's brief of one client: built from their history, kept, and acted on.

The rules are pure functions in intake.brief; a client's history is read by
intake.answers.history. This module keeps a built brief while nothing it depends on
changes, records each look at it, and stores acknowledgements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update

from ..answers.history import load_history
from ..brief import Audience, Brief, build_brief
from ..extensions import db
from ..infra.changes import Topic
from ..infra.database import (
    commit_without_waiting_for_disk,
    upsert,
    write_connection,
    write_transaction,
)
from ..infra.keeping import Shelf
from ..models import Alert, Client, ClientView, utcnow
from ..practice import audit
from ..practice.accounts import Viewer

ALERT_KEY = re.compile(r"^[a-z_]+:[0-9a-z-]{1,40}$")


def audience_of(staff: Viewer) -> Audience:
    """Admins read the brief as the practice coordinator; therapists as the therapist."""
    return Audience.COORDINATOR if staff.role == "admin" else Audience.THERAPIST


@dataclass
class Kept:
    """A built brief, and what was drawn from it in each language (charts)."""

    brief: Brief
    drawn: dict = field(default_factory=dict)

    def drawing(self, name: str, draw):
        """Return what `draw(brief)` made for this name, drawing it the first time."""
        if name not in self.drawn:
            self.drawn[name] = draw(self.brief)
        return self.drawn[name]


def record_view(staff_id: int, client_id: int, now: datetime) -> None:
    """Record a look at a client's brief: an audit event, and "seen until now"."""
    seen = upsert(ClientView, keys=["staff_id", "client_id"], changing=["seen_at"])
    with write_connection() as connection:
        commit_without_waiting_for_disk(connection)
        audit.add(connection, "brief.viewed", staff_id, client_id)
        connection.execute(seen, {"staff_id": staff_id, "client_id": client_id, "seen_at": now})


# Silence is counted in days; the alert thresholds are the practice's settings.
_BRIEFS = Shelf("briefs", 32, by=("day", Topic.PRACTICE))


def cached_brief(client: Client, audience: Audience, now: datetime) -> Kept:
    """Return the brief, rebuilt only when something it depends on has changed.

    A long history takes tens of milliseconds to read and sum up; a therapist opens the
    same brief several times around an appointment. The key holds everything the brief
    depends on: the client's last submission and acknowledgements, and (the shelf's
    sources) the practice's settings and the day, so a stale brief is never shown.
    """
    acknowledged = db.session.execute(
        select(func.count(Alert.id), func.max(Alert.acknowledged_at))
        .where(Alert.client_id == client.id, Alert.acknowledged_at.is_not(None))
    ).one()
    return _BRIEFS.get(
        (client.id, str(audience), client.last_response_at, tuple(acknowledged)),
        lambda: Kept(build_brief(load_history(client.id, client.created_at, now), audience)))


def acknowledge(staff: Viewer, client: Client, keys: list[str]) -> int:
    """Mark some of a client's current alerts as seen by this staff member; return how many.

    Keys that are malformed, unknown or already acknowledged change nothing, so a
    double tap or a forged key is harmless.
    """
    wanted = {key for key in keys if ALERT_KEY.match(key)}
    if not wanted:
        return 0
    brief = cached_brief(client, audience_of(staff), utcnow()).brief
    current = {alert.key: alert for alert in brief.alerts if alert.key in wanted}
    now = utcnow()
    done = 0
    with write_transaction() as session:
        stored = set(session.scalars(
            select(Alert.key).where(Alert.client_id == client.id, Alert.key.in_(current))))
        for key, alert in current.items():
            if key not in stored:
                # Silence alerts are raised by time passing, not by a submission: keep them now.
                session.add(Alert(client_id=client.id, key=key, kind=alert.kind,
                                  raised_at=alert.at, acknowledged_by_id=staff.id,
                                  acknowledged_at=now))
                changed = 1
            else:
                changed = session.execute(
                    update(Alert)
                    .where(Alert.client_id == client.id, Alert.key == key,
                           Alert.acknowledged_at.is_(None))
                    .values(acknowledged_by_id=staff.id, acknowledged_at=now)
                ).rowcount
            if changed:
                audit.add(session, "alert.acknowledged", staff.id, client.id, alert.kind)
                done += 1
    return done
