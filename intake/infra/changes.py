"""What changed: a number per topic that the database raises on every change staff pages show.

Triggers raise them (migrations 0002, 0008 and 0009), so no code path can forget to:

- PRACTICE: the practice's settings, staff and rooms;
- CLIENTS: clients, appointments and their choices on the consent page;
- CHECK_INS: check-ins, but not a device claiming one again (no staff page shows a claim);
- ANSWERS: a response submitted or erased, and alerts raised or acknowledged.

Drafts change none of them: a step saved on the tablet shows on no staff page until it is
submitted. A page built from the database can be kept as long as the numbers of the
topics it shows stay the same (infra/keeping.py); reading them is one statement.

Read them before the data they guard: then what is kept under a number is never older
than that number. A staff request reads them with its login session, in the same statement
(practice/accounts.py); a write this request commits makes it read them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from flask import g, has_app_context
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from ..models import Revision
from .database import read_once


class Topic(IntEnum):
    """What a kept page may show; the value is the topic's row in the revision table."""

    PRACTICE = 1
    CLIENTS = 2
    CHECK_INS = 3
    ANSWERS = 4


_ALL = select(Revision.id, Revision.number)
# The numbers as columns of another statement, in Topic order (the staff login's).
NUMBERS = tuple(select(Revision.number).where(Revision.id == topic.value).scalar_subquery()
                for topic in Topic)


def current() -> dict[Topic, int]:
    """Return each topic's number now (read once per request)."""
    found = g.get("_intake_revisions")
    if found is None:
        found = g._intake_revisions = {Topic(id_): number for id_, number in read_once(_ALL, {})
                                       if id_ in Topic._value2member_map_}
    return found


def remember(numbers: Sequence[int]) -> None:
    """Keep the numbers read with another statement (NUMBERS) for the rest of the request."""
    g._intake_revisions = dict(zip(Topic, numbers, strict=True))


@event.listens_for(Engine, "commit")
def _forget(_connection) -> None:
    # This request changed something: what it shows next is keyed by the numbers after.
    if has_app_context():
        g.pop("_intake_revisions", None)
