"""Check-ins: one-time codes and links, how they are redeemed, and their throttle.

A code or link is redeemed with a conditional update, so that of two devices
racing for it exactly one holds it: the winner gets a fresh claim, and only
the holder of the current claim may save answers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update

from ..extensions import db
from ..infra.database import insert_if_missing, write_transaction
from ..models import CheckIn, CheckInState, Client, Response, Throttle, utcnow
from ..questionnaires import REGISTRY
from . import audit

# Easy to read and to type: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V.
ALPHABET = "ACDEFHJKMNPRTWXY3479"
CODE_LENGTH = 6
CLOSED = frozenset({CheckInState.FINISHED, CheckInState.EXPIRED, CheckInState.CANCELLED})


class CheckInError(ValueError):
    """A check-in cannot be created as asked."""


@dataclass(frozen=True)
class Claim:
    """What a device holds after redeeming a code or a link."""

    check_in_id: int
    claim: str
    # The client's preferred language, for a visit that has not chosen one.
    client_locale: str = ""


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(typed: str) -> str | None:
    """Return the code as stored, from what a person typed; None if it cannot be one."""
    code = "".join(typed.split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def create_check_in(
    client_id: int,
    questionnaire: str,
    lifetime: timedelta,
    created_by_id: int | None = None,
    appointment_id: int | None = None,
) -> CheckIn:
    """Create a check-in with a fresh code and link for one client and questionnaire."""
    if questionnaire not in REGISTRY:
        raise CheckInError(
            f"unknown questionnaire {questionnaire!r} (one of: {', '.join(REGISTRY)})"
        )
    with write_transaction() as session:
        if session.get(Client, client_id) is None:
            raise CheckInError("unknown client")
        taken = True
        while taken:
            code = new_code()
            taken = session.scalar(select(CheckIn.id).where(CheckIn.code == code)) is not None
        check_in = CheckIn(
            client_id=client_id,
            questionnaire=questionnaire,
            code=code,
            link_nonce=secrets.token_urlsafe(32),
            created_by_id=created_by_id,
            appointment_id=appointment_id,
            expires_at=utcnow() + lifetime,
        )
        session.add(check_in)
        session.flush()
        audit.add(session, "check_in.created", created_by_id, client_id, questionnaire)
    return check_in


def link_token(check_in: CheckIn, secret_key: str) -> str:
    """Return the signed token of a check-in's phone link."""
    return _serializer(secret_key).dumps([check_in.id, check_in.link_nonce])


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="check-in-link")


def redeem_code(code: str, locale: str) -> Claim | None:
    """Give the device a claim on the check-in with this code, if it is still open."""
    return _redeem(CheckIn.code == code, locale)


def redeem_link(token: str, secret_key: str, locale: str) -> Claim | None:
    """Exchange a phone link's token for a claim, once."""
    try:
        check_in_id, nonce = _serializer(secret_key).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(check_in_id, int) or not isinstance(nonce, str):
        return None
    condition = (CheckIn.id == check_in_id) & (CheckIn.link_nonce == nonce)
    return _redeem(condition & CheckIn.link_used_at.is_(None), locale, use_link=True)


def _redeem(condition, locale: str, use_link: bool = False) -> Claim | None:
    now = utcnow()
    claim = secrets.token_urlsafe(32)
    values = {"claim": claim, "started_at": func.coalesce(CheckIn.started_at, now)}
    if use_link:
        values["link_used_at"] = now
    with write_transaction() as session:
        check_in = session.scalar(select(CheckIn).where(condition))
        if check_in is None:
            return None
        won = session.execute(
            update(CheckIn)
            .where(
                condition,
                CheckIn.id == check_in.id,
                CheckIn.finished_at.is_(None),
                CheckIn.cancelled_at.is_(None),
                CheckIn.expires_at > now,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won != 1:
            return None
        _ensure_draft(session, check_in, locale, now)
        client_locale = check_in.client.locale
    return Claim(check_in.id, claim, client_locale)


def _ensure_draft(session, check_in: CheckIn, locale: str, now: datetime) -> None:
    exists = session.scalar(select(Response.id).where(Response.check_in_id == check_in.id))
    if exists is None:
        session.add(
            Response(
                check_in_id=check_in.id,
                client_id=check_in.client_id,
                questionnaire=check_in.questionnaire,
                version=REGISTRY[check_in.questionnaire].version,
                locale=locale,
                created_at=now,
                updated_at=now,
            )
        )


def closed_state(code: str) -> CheckInState | None:
    """Return how the check-in with this code ended (finished, expired or cancelled), if
    it did; None for a code that is open or unknown."""
    check_in = db.session.scalar(select(CheckIn).where(CheckIn.code == code))
    state = check_in and check_in.state(utcnow())
    return state if state in CLOSED else None


def finished_with(claim: Claim) -> tuple[str, int] | None:
    """Return the questionnaire and client of a check-in this claim finished (a repeated
    Finish), or None."""
    row = db.session.execute(
        select(CheckIn.questionnaire, CheckIn.client_id).where(
            CheckIn.id == claim.check_in_id,
            CheckIn.claim == claim.claim,
            CheckIn.finished_at.is_not(None),
        )
    ).first()
    return (row[0], row[1]) if row else None


def cancel(check_in_id: int, actor_id: int | None = None) -> bool:
    """Cancel a check-in that has not finished; return whether it was open."""
    with write_transaction() as session:
        cancelled = session.execute(
            update(CheckIn)
            .where(
                CheckIn.id == check_in_id,
                CheckIn.finished_at.is_(None),
                CheckIn.cancelled_at.is_(None),
            )
            .values(cancelled_at=utcnow(), claim=None)
            .execution_options(synchronize_session=False)
        ).rowcount == 1
        if cancelled:
            client_id = session.scalar(select(CheckIn.client_id).where(CheckIn.id == check_in_id))
            audit.add(session, "check_in.cancelled", actor_id, client_id)
        return cancelled


def for_client(client_id: int, limit: int = 20) -> list[CheckIn]:
    """Return a client's latest check-ins, newest first."""
    return list(
        db.session.scalars(
            select(CheckIn)
            .where(CheckIn.client_id == client_id)
            .order_by(CheckIn.created_at.desc(), CheckIn.id.desc())
            .limit(limit)
        )
    )


# Throttling wrong codes: per device, and a wider net per address.


def is_locked(keys: list[str]) -> bool:
    """Tell whether any of these keys is locked out of code entry now."""
    now = utcnow()
    rows = db.session.scalars(select(Throttle).where(Throttle.key.in_(keys)))
    return any(row.locked_until and row.locked_until > now for row in rows)


def record_failure(limits: dict[str, int], window: timedelta) -> None:
    """Count one wrong code against each key; lock a key that reaches its limit."""
    now = utcnow()
    with write_transaction() as session:
        for key, limit in limits.items():
            # Two wrong codes from a new device at once must not both create its row.
            insert_if_missing(session, Throttle, {"key": key, "failures": 0,
                                                  "window_started_at": now})
            row = session.get(Throttle, key)
            session.refresh(row, with_for_update=True)
            if now - row.window_started_at > window:
                row.failures, row.window_started_at = 0, now
            row.failures += 1
            if row.failures >= limit:
                row.locked_until, row.failures, row.window_started_at = now + window, 0, now


def forget_failures(key: str) -> None:
    """Clear a device's count after a right code."""
    with write_transaction() as session:
        row = session.get(Throttle, key)
        if row is not None and row.failures:
            row.failures = 0


def follow_up(after_check_in_id: int, questionnaire: str, lifetime: timedelta,
              locale: str) -> Claim | None:
    """Start a second questionnaire right after a finished one, on the same device.

    Used for the periodic survey offered after post-session feedback: the new
    check-in belongs to the same client and appointment, and the device that just
    finished holds it at once, without a new code.
    """
    with write_transaction() as session:
        finished = session.get(CheckIn, after_check_in_id)
        if finished is None or finished.finished_at is None:
            return None
        check_in = create_check_in(finished.client_id, questionnaire, lifetime,
                                   appointment_id=finished.appointment_id)
    return redeem_code(check_in.code, locale)
