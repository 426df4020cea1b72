"""Rotating the keys that seal free text: count, reseal, retire.

`flask keys new` puts a new key first in the key file; from then on every process seals
with it (a process that meets a key it does not know reads the file again). `flask keys
reseal` moves the texts sealed with older keys to the current one, a batch per
transaction; a run stopped half-way leaves every text readable, some with the old key and
some with the new. `flask keys retire ID` removes a key once no text needs it.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Answer, Client, Staff
from ..practice import clients, two_factor
from .database import write_transaction
from .sealing import (
    KeyFileError,
    KeyMissing,
    keyring,
    open_answer,
    remove_key,
    seal_answer,
)

BATCH = 500


def texts_per_key() -> dict[str, int]:
    """Return how many texts each key sealed (answers, two-factor secrets, kept emails)."""
    counts: dict[str, int] = {}
    for column in (Answer.sealed_with, Staff.totp_sealed_with, Client.email_sealed_with):
        for key_id, count in db.session.execute(
            select(column, func.count()).where(column.is_not(None)).group_by(column)
        ):
            counts[key_id] = counts.get(key_id, 0) + count
    return counts


def require_every_key() -> None:
    """Raise KeyMissing unless every key a stored text names is in the key file.

    For a file streamed out (an export): once it has begun, an error can only cut it short.
    """
    ring = keyring()
    missing = set(texts_per_key()) - set(ring.keys)
    if missing:
        ring.reload()
        missing -= set(ring.keys)
    if missing:
        raise KeyMissing(sorted(missing)[0])


def reseal(batch: int = BATCH) -> int:
    """Seal every text again with the current key; return how many were resealed."""
    return _reseal_secrets() + _reseal_emails() + _reseal_answers(batch)


def _reseal_secrets() -> int:
    """The two-factor secrets: a few rows, one transaction."""
    return _reseal_column(Staff, Staff.totp_secret, Staff.totp_sealed_with,
                          two_factor.binding)


def _reseal_emails() -> int:
    """The email addresses a practice kept: one transaction."""
    return _reseal_column(Client, Client.email, Client.email_sealed_with,
                          clients.email_binding)


def _reseal_column(model, value, sealed_with, binding) -> int:
    """Seal again one sealed column of a small table, bound to each row's id, in one
    transaction; a row changed meanwhile is left as it is (its value no longer matches)."""
    ring = keyring()
    done = 0
    with write_transaction() as session:
        for id_, sealed, key_id in session.execute(
            select(model.id, value, sealed_with)
            .where(sealed_with.is_not(None), sealed_with != ring.current)
        ).all():
            new_sealed, new_key = ring.seal(ring.open(sealed, key_id, binding(id_)), binding(id_))
            done += session.execute(
                update(model)
                .where(model.id == id_, value == sealed)
                .values({value: new_sealed, sealed_with: new_key})
            ).rowcount
    return done


def _reseal_answers(batch: int) -> int:
    current = keyring().current
    done = 0
    last_id = 0
    while True:
        with write_transaction() as session:
            rows = session.execute(
                select(Answer.id, Answer.response_id, Answer.question, Answer.position,
                       Answer.text, Answer.sealed_with)
                .where(Answer.id > last_id, Answer.sealed_with.is_not(None),
                       Answer.sealed_with != current)
                .order_by(Answer.id).limit(batch)
            ).all()
            for id_, response_id, question, position, text, key_id in rows:
                written = open_answer(text, key_id, response_id, question, position)
                sealed, new_key = seal_answer(written, response_id, question, position)
                # Only if nobody changed the row since it was read.
                done += session.execute(
                    update(Answer)
                    .where(Answer.id == id_, Answer.sealed_with == key_id, Answer.text == text)
                    .values(text=sealed, sealed_with=new_key)
                ).rowcount
        if len(rows) < batch:
            return done
        last_id = rows[-1][0]


def retire(key_id: str) -> None:
    """Remove a key from the key file; refuse while a text still needs it, or if current."""
    ring = keyring()
    if key_id == ring.current:
        raise KeyFileError("the current key cannot be retired: add a new key first")
    if (count := texts_per_key().get(key_id, 0)) > 0:
        raise KeyFileError(f"{count} texts are still sealed with {key_id}: reseal them first")
    remove_key(ring.path, key_id)
    ring.reload()
