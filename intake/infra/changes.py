"""What changed: one number the database raises on every change a staff page shows.

Triggers raise it (migration 0002) on every insert, update and delete of practices,
staff, rooms, clients, appointments, check-ins and alerts, and when a response is
submitted or erased. A page built from the database can be kept as long as the number
stays the same; reading it is one primary-key lookup.

Read it before the data it guards: then what is kept under a number is never older
than that number.
"""

from __future__ import annotations

from sqlalchemy import select

from ..models import Revision
from .database import read_once

_CURRENT = select(Revision.number).where(Revision.id == 1)


def current() -> int:
    """Return the database's revision number now."""
    return read_once(_CURRENT, {})[0][0]
