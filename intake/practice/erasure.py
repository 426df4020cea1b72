"""Erasing one client entirely: the client's right to erasure (GDPR article 17).

Everything the app holds about the client goes in one write transaction: every answer,
response (drafts too), check-in, appointment, alert, "last opened" mark and the client row
itself, and any row a newer table keeps about them. The foreign keys would cascade, but
each table is emptied explicitly, so that an erasure never depends on a connection that
forgot `PRAGMA foreign_keys=ON`; tables are found from the foreign keys that point at the
client, so a table added later is erased too, as its own ON DELETE says.

The audit log is append-only except here. Its events stay (who opened or exported data, and
when) but stop pointing at the client: client_id becomes NULL, and a detail that named the
client loses the name. The erasure is recorded with its actor and time, and nothing about
whose it was: no reference, no id, no counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Column, Table, delete, func, or_, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..infra.database import write_transaction
from ..infra.keeping import forget_everything
from ..models import Alert, Answer, Appointment, AuditEvent, CheckIn, Client, Response
from . import audit

ERASED = "[erased]"


class ErasureError(Exception):
    """A client cannot be erased as asked; the subclass says why."""


class NotFound(ErasureError, LookupError):
    """There is no such client (any more)."""


class WrongReference(ErasureError):
    """The confirmation is not the client's reference: nothing was erased."""


@dataclass(frozen=True)
class Summary:
    """What an erasure would remove, for the confirmation page."""

    responses: int
    drafts: int
    check_ins: int
    appointments: int
    alerts: int


def summary(client_id: int) -> Summary:
    """Count what the client's erasure would remove, in one query."""

    def count(column, *conditions):
        return select(func.count(column)).where(*conditions).scalar_subquery()

    row = db.session.execute(select(
        count(Response.id, Response.client_id == client_id, Response.submitted_at.is_not(None)),
        count(Response.id, Response.client_id == client_id, Response.submitted_at.is_(None)),
        count(CheckIn.id, CheckIn.client_id == client_id),
        count(Appointment.id, Appointment.client_id == client_id),
        count(Alert.id, Alert.client_id == client_id),
    )).one()
    return Summary(*row)


def client_references() -> Iterator[tuple[Table, Column, str | None]]:
    """Yield each column that points at a client, dependent tables first, with its ON DELETE."""
    for table in reversed(db.metadata.sorted_tables):
        for key in table.foreign_keys:
            if key.column.table is Client.__table__:
                yield table, key.parent, key.ondelete


def without_names(detail: str, names: list[str]) -> str:
    """Return an audit detail with every mention of these names replaced by ERASED."""
    for name in names:
        if not name:
            continue
        # A whole word only: erasing "C-1" must not touch "C-12".
        pattern = rf"(?<![0-9A-Za-z]){re.escape(name)}(?![0-9A-Za-z])"
        detail = re.sub(pattern, ERASED, detail, flags=re.IGNORECASE)
    return detail


def _scrub_audit(session: Session, client_id: int, names: list[str]) -> None:
    """Unlink the client's audit events, and take their name out of any event's detail."""
    mentions = [func.lower(AuditEvent.detail).contains(name.lower(), autoescape=True)
                for name in names if name]
    for event_id, detail in session.execute(
        select(AuditEvent.id, AuditEvent.detail).where(
            or_(AuditEvent.client_id == client_id, *mentions))
    ).all():
        cleaned = without_names(detail or "", names)
        if cleaned != detail:
            session.execute(update(AuditEvent).where(AuditEvent.id == event_id)
                            .values(detail=cleaned[:200]))
    session.execute(update(AuditEvent).where(AuditEvent.client_id == client_id)
                    .values(client_id=None))


def _erase_rows(session: Session, client_id: int) -> None:
    """Delete every row about the client, children first, then the client."""
    # Answers hang off responses, not off the client.
    session.execute(delete(Answer).where(Answer.response_id.in_(
        select(Response.id).where(Response.client_id == client_id))))
    for table, column, ondelete in client_references():
        if table is AuditEvent.__table__:
            continue  # scrubbed above
        if (ondelete or "").upper() == "SET NULL":
            session.execute(update(table).where(column == client_id).values({column.name: None}))
        else:
            session.execute(delete(table).where(column == client_id))
    session.execute(delete(Client).where(Client.id == client_id))


def erase_client(actor_id: int, client_id: int, confirmation: str) -> None:
    """Erase a client and everything about them, if `confirmation` is their reference.

    Raise NotFound or WrongReference, and then nothing is erased.
    """
    with write_transaction() as session:
        found = session.execute(
            select(Client.reference, Client.display_name).where(Client.id == client_id)
        ).first()
        if found is None:
            raise NotFound(f"no client {client_id}")
        reference, display_name = found
        if (confirmation or "").strip() != reference:
            raise WrongReference("the confirmation does not match the reference")
        _scrub_audit(session, client_id, [reference, display_name or ""])
        _erase_rows(session, client_id)
        audit.add(session, "client.erased", actor_id)
    # Nothing of the client may stay in this worker's memory either.
    forget_everything()
