"""Clients: creating them and finding the ones a staff member may see."""

from __future__ import annotations

import re

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..infra.database import read_once, write_transaction
from ..infra.sealing import keyring
from ..models import CheckIn, Client, Role, Staff
from .accounts import Viewer

REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class ClientError(ValueError):
    """A client cannot be created or changed as asked."""


def add_client(reference: str, therapist_email: str, locale: str, locales: list[str]) -> Client:
    """Create a client with a pseudonymous reference; refuse duplicates and unknowns."""
    reference = reference.strip()
    if not REFERENCE.match(reference):
        raise ClientError(
            "a reference has 1 to 64 letters, digits, dots, dashes or underscores"
        )
    if locale not in locales:
        raise ClientError(f"unknown locale {locale!r} (one of: {', '.join(locales)})")
    with write_transaction() as session:
        therapist = session.scalar(
            select(Staff).where(
                Staff.email == therapist_email.strip().lower(), Staff.role == Role.THERAPIST
            )
        )
        if therapist is None:
            raise ClientError(f"no therapist with the email {therapist_email!r}")
        if session.scalar(select(Client.id).where(Client.reference == reference)):
            raise ClientError(f"a client with the reference {reference!r} already exists")
        client = Client(reference=reference, therapist_id=therapist.id, locale=locale)
        session.add(client)
    return client


def visible_clients(staff: Viewer) -> Select:
    """Return a query of the clients this staff member may see."""
    query = select(Client).order_by(Client.reference)
    if staff.role == Role.THERAPIST:
        query = query.where(Client.therapist_id == staff.id)
    return query


def get_visible_client(staff: Viewer, client_id: int) -> Client | None:
    """Return one client if this staff member may see it, else None."""
    return db.session.scalar(visible_clients(staff).where(Client.id == client_id))


_VISIBLE = select(Client.therapist_id).where(Client.id == bindparam("client_id"))


def is_visible(staff: Viewer, client_id: int) -> bool:
    """Tell whether this staff member may see this client, without loading it."""
    rows = read_once(_VISIBLE, {"client_id": client_id})
    return bool(rows) and (staff.role != Role.THERAPIST or rows[0][0] == staff.id)


def get_visible_check_in(staff: Viewer, check_in_id: int) -> CheckIn | None:
    """Return a check-in if this staff member may see its client, else None."""
    query = (
        select(CheckIn)
        .join(Client, Client.id == CheckIn.client_id)
        .where(CheckIn.id == check_in_id)
        .options(joinedload(CheckIn.client))
    )
    if staff.role == Role.THERAPIST:
        query = query.where(Client.therapist_id == staff.id)
    return db.session.scalar(query)


def therapists() -> list[Staff]:
    """Return the enabled therapists, by name."""
    return list(db.session.scalars(
        select(Staff).where(Staff.role == Role.THERAPIST, Staff.is_enabled.is_(True))
        .order_by(Staff.name, Staff.email)
    ))


def email_binding(client_id: int) -> bytes:
    return f"client-email:{client_id}".encode()


def email_of(client_id: int) -> str | None:
    """Return the client's kept email address, opened (None when none is kept)."""
    sealed, key_id = db.session.execute(
        select(Client.email, Client.email_sealed_with).where(Client.id == client_id)).one()
    if sealed is None:
        return None
    return keyring().open(sealed, key_id or "", email_binding(client_id))


def keep_email(session, client_id: int, address: str) -> None:
    """Keep a client's email address, sealed and bound to them (the practice's choice)."""
    sealed, key_id = keyring().seal(address, email_binding(client_id))
    session.execute(update(Client).where(Client.id == client_id)
                    .values(email=sealed, email_sealed_with=key_id))


def forget_emails(session) -> None:
    """Forget every kept email address (the practice stopped keeping them)."""
    session.execute(update(Client).where(Client.email.is_not(None))
                    .values(email=None, email_sealed_with=None))
