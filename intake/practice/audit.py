"""The audit log: who looked at or changed which client's data, and when; never the data."""

from __future__ import annotations

from sqlalchemy import Connection, insert
from sqlalchemy.orm import Session

from ..infra.database import write_transaction
from ..models import AuditEvent

_INSERT = insert(AuditEvent)


def add(transaction: Session | Connection, action: str, actor_id: int | None,
        client_id: int | None = None, detail: str = "") -> None:
    """Add an event to a write transaction that is already open."""
    connection = transaction.connection() if isinstance(transaction, Session) else transaction
    connection.execute(_INSERT, {"action": action, "actor_id": actor_id,
                                 "client_id": client_id, "detail": detail[:200]})


def record(action: str, actor_id: int | None, client_id: int | None = None,
           detail: str = "") -> None:
    """Record an event in a transaction of its own."""
    with write_transaction() as session:
        add(session, action, actor_id, client_id, detail)
