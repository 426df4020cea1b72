"""The alerts a submission raises, stored so that lists can sort clients by attention."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from ..brief import AlertKind, Audience, build_brief
from ..models import Alert, Client, FollowUp, FollowUpState
from .history import load_history


def raise_alerts(connection: Connection, client_id: int, now: datetime) -> None:
    """Store the alerts a client's answers raise, after a submission (same transaction)."""
    since = connection.execute(
        select(Client.created_at).where(Client.id == client_id)).scalar_one()
    history = load_history(client_id, since, now, connection)
    everyone = build_brief(history, Audience.COORDINATOR).alerts
    for_therapist = {alert.key for alert in build_brief(history, Audience.THERAPIST).alerts}
    known = set(connection.scalars(select(Alert.key).where(Alert.client_id == client_id)))
    new = [
        {"client_id": client_id, "key": alert.key, "kind": alert.kind, "raised_at": alert.at,
         "is_coordinator_only": alert.key not in for_therapist}
        for alert in everyone
        # Silence alerts are raised by time passing, not by a submission.
        if alert.key not in known and not alert.key.startswith("silence:")
    ]
    if new:
        connection.execute(insert(Alert), new)
        # A client who would prefer another therapist gets a call from the coordinator.
        follow_ups = [{"client_id": client_id, "alert_key": row["key"], "created_at": now,
                       "changed_at": now, "state": FollowUpState.OPEN}
                      for row in new if row["kind"] == AlertKind.PREFER_DIFFERENT_THERAPIST]
        if follow_ups:
            connection.execute(insert(FollowUp), follow_ups)
    if history.records:
        connection.execute(
            update(Client).where(Client.id == client_id)
            .values(last_response_at=max(record.submitted_at for record in history.records)))
