"""Check-ins: one-time codes and links, and how they are redeemed (see code_throttle.py
for how wrong codes are slowed down).

A code or link is redeemed with a conditional update, so that of two devices
racing for it exactly one holds it: the winner gets a fresh claim, and only
the holder of the current claim may save answers.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..infra.database import write_transaction
from ..models import (
    Appointment,
    AppointmentState,
    CheckIn,
    CheckInState,
    Client,
    Response,
    utcnow,
)
from ..questionnaires import REGISTRY
from . import appointments, audit, surveys

# Easy to read and to type: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V.
ALPHABET = "ACDEFHJKMNPRTWXY3479"
CODE_LENGTH = 6


class CheckInError(ValueError):
    """A check-in cannot be created as asked."""


@dataclass(frozen=True)
class Claim:
    """What a device holds after redeeming a code or a link."""

    check_in_id: int
    claim: str
    # The client's preferred language, for a visit that has not chosen one.
    client_locale: str = ""
    # The questionnaire it is for: a step's form can be checked before the draft is read.
    questionnaire: str = ""


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
    follows_id: int | None = None,
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
            follows_id=follows_id,
            expires_at=utcnow() + lifetime,
        )
        session.add(check_in)
        session.flush()
        audit.add(session, "check_in.created", created_by_id, client_id, questionnaire)
    return check_in


def right_questionnaire(starts_at: datetime, now: datetime, finished: set[str],
                        survey_due: bool) -> str | None:
    """Tell which check-in an appointment needs now (a pure rule).

    Before the appointment starts, the pre-session check-in (unless it is done); from its
    start on, the post-session feedback; once that is done, the periodic survey when one
    is due; else nothing.
    """
    if now < starts_at and "pre_session" not in finished:
        return "pre_session"
    if "post_session" not in finished:
        return "post_session"
    if survey_due and "periodic" not in finished:
        return "periodic"
    return None


def needed_now(appointment_id: int, now: datetime) -> str | None:
    """Return the questionnaire an appointment needs now (see right_questionnaire)."""
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None or appointment.state in (AppointmentState.CANCELLED,
                                                    AppointmentState.NO_SHOW):
        return None
    finished = set(db.session.scalars(
        select(CheckIn.questionnaire).where(CheckIn.appointment_id == appointment_id,
                                            CheckIn.finished_at.is_not(None))))
    due = appointment.client_id in surveys.due_among([appointment.client_id], now)
    return right_questionnaire(appointment.starts_at, now, finished, due)


def for_appointment(appointment_id: int) -> list[CheckIn]:
    """Return the check-ins made for one appointment, oldest first."""
    return list(db.session.scalars(
        select(CheckIn).where(CheckIn.appointment_id == appointment_id).order_by(CheckIn.id)))


def start_for_appointment(appointment_id: int, questionnaire: str, lifetime: timedelta,
                          created_by_id: int | None = None) -> CheckIn:
    """Return the open check-in of this questionnaire for the appointment, or a new one."""
    now = utcnow()
    with write_transaction() as session:
        appointment = session.get(Appointment, appointment_id)
        if appointment is None:
            raise CheckInError("unknown appointment")
        if appointment.state == AppointmentState.CANCELLED:
            raise CheckInError("the appointment was cancelled")
        open_one = session.scalar(
            select(CheckIn).where(CheckIn.appointment_id == appointment_id,
                                  CheckIn.questionnaire == questionnaire,
                                  CheckIn.finished_at.is_(None), CheckIn.cancelled_at.is_(None),
                                  CheckIn.expires_at > now)
            .order_by(CheckIn.id.desc()).limit(1))
        if open_one is not None:
            return open_one
        return create_check_in(appointment.client_id, questionnaire, lifetime,
                               created_by_id=created_by_id, appointment_id=appointment_id)


def link_token(check_in: CheckIn, secret_key: str) -> str:
    """Return the signed token of a check-in's phone link."""
    return _serializer(secret_key).dumps([check_in.id, check_in.link_nonce])


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="check-in-link")


def device_hash(cookie: str) -> str:
    """Return what is stored of a device cookie: its hash, never the cookie itself."""
    return hashlib.sha256(cookie.encode()).hexdigest()


def redeem_code(code: str, locale: str, device: str = "") -> Claim | None:
    """Give the device a claim on the check-in with this code, if it is still open."""
    return _redeem(CheckIn.code == code, locale, device)


def _link_condition(token: str, secret_key: str):
    try:
        check_in_id, nonce = _serializer(secret_key).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(check_in_id, int) or not isinstance(nonce, str):
        return None
    return (CheckIn.id == check_in_id) & (CheckIn.link_nonce == nonce)


def redeem_link(token: str, secret_key: str, locale: str, device: str) -> Claim | None:
    """Exchange a phone link's token for a claim: the first time, or again on the same device.

    A link is a key to the draft's text, so it opens on one device only: the phone that
    opened it first may open it again (tapping the message twice, a closed browser tab).
    """
    condition = _link_condition(token, secret_key)
    if condition is None or not device:
        return None
    again = CheckIn.device == device_hash(device)
    return _redeem(condition & (CheckIn.link_used_at.is_(None) | again), locale, device,
                   use_link=True)


class Refusal(StrEnum):
    """Why a link cannot be opened here."""

    ELSEWHERE = "elsewhere"  # open on another device
    FINISHED = "finished"
    EXPIRED = "expired"  # expired or cancelled
    UNKNOWN = "unknown"  # not a link of ours


def link_refusal(token: str, secret_key: str) -> tuple[Refusal, str]:
    """Say why a link was refused, and the client's language to say it in."""
    condition = _link_condition(token, secret_key)
    row = condition is not None and db.session.execute(
        select(CheckIn.finished_at, CheckIn.cancelled_at, CheckIn.expires_at, Client.locale)
        .join(Client, Client.id == CheckIn.client_id).where(condition)).first()
    if not row:
        return Refusal.UNKNOWN, ""
    finished_at, cancelled_at, expires_at, locale = row
    if finished_at is not None:
        return Refusal.FINISHED, locale
    if cancelled_at is not None or expires_at <= utcnow():
        return Refusal.EXPIRED, locale
    return Refusal.ELSEWHERE, locale


def _redeem(condition, locale: str, device: str = "", use_link: bool = False) -> Claim | None:
    now = utcnow()
    claim = secrets.token_urlsafe(32)
    held_by = device_hash(device) if device else None
    values = {"claim": claim, "started_at": func.coalesce(CheckIn.started_at, now),
              "device": held_by}
    if use_link:
        values["link_used_at"] = func.coalesce(CheckIn.link_used_at, now)
    with write_transaction() as session:
        check_in = session.scalar(select(CheckIn).where(condition))
        if check_in is None:
            return None
        # A draft opened on another device than the one that held it: its text shows there.
        elsewhere = check_in.claim is not None and check_in.device != held_by
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
        if elsewhere:
            audit.add(session, "check_in.opened_elsewhere", None, check_in.client_id,
                      f"check_in={check_in.id}")
        _ensure_draft(session, check_in, locale, now)
        if check_in.appointment_id is not None:
            # Checking in for an appointment is the client's way of saying they came.
            appointments.attended_by_check_in(session, check_in.appointment_id)
        client_locale = check_in.client.locale
    return Claim(check_in.id, claim, client_locale, check_in.questionnaire)


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


def renew_code(check_in_id: int, actor_id: int | None = None) -> bool:
    """Give an open check-in a new code and link; the old ones, and any device's hold, end.

    The draft stays: the client goes on with the new code. Return whether it was open.
    """
    with write_transaction() as session:
        check_in = session.get(CheckIn, check_in_id)
        if check_in is None or check_in.state() not in (CheckInState.WAITING,
                                                        CheckInState.IN_PROGRESS):
            return False
        code = new_code()
        while session.scalar(select(CheckIn.id).where(CheckIn.code == code)) is not None:
            code = new_code()
        check_in.code, check_in.link_nonce = code, secrets.token_urlsafe(32)
        # It waits for a device again (its draft is kept for whoever types the new code).
        check_in.claim = check_in.device = check_in.link_used_at = check_in.started_at = None
        audit.add(session, "check_in.new_code", actor_id, check_in.client_id,
                  check_in.questionnaire)
    return True


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
            .options(joinedload(CheckIn.appointment))
            .order_by(CheckIn.created_at.desc(), CheckIn.id.desc())
            .limit(limit)
        )
    )


# Throttling wrong codes: per device, and a wider net per address.


def spent(code: str) -> str | None:
    """Say whether a code that redeemed nothing exists but is spent: finished, or expired
    (or cancelled). None when there is no such code: that was a guess."""
    row = db.session.execute(
        select(CheckIn.finished_at, CheckIn.cancelled_at, CheckIn.expires_at)
        .where(CheckIn.code == code)).first()
    if row is None:
        return None
    finished_at, cancelled_at, expires_at = row
    if finished_at is not None:
        return "finished"
    if cancelled_at is not None or expires_at <= utcnow():
        return "expired"
    return None


def follow_up(after_check_in_id: int, questionnaire: str, lifetime: timedelta,
              locale: str, device: str = "") -> Claim | None:
    """Start a second questionnaire right after a finished one, on the same device.

    Used for the periodic survey offered after post-session feedback: the new
    check-in belongs to the same client and appointment, and the device that just
    finished holds it at once, without a new code.

    An offer is taken once: a second request (a replayed cookie) finds the survey that
    already follows the finished check-in, and gets nothing.
    """
    try:
        with write_transaction() as session:
            finished = session.get(CheckIn, after_check_in_id)
            if finished is None or finished.finished_at is None:
                return None
            if session.scalar(select(CheckIn.id).where(CheckIn.follows_id == finished.id)):
                return None
            check_in = create_check_in(finished.client_id, questionnaire, lifetime,
                                       appointment_id=finished.appointment_id,
                                       follows_id=finished.id)
    except IntegrityError:  # two requests at once: the unique index let one through
        return None
    return redeem_code(check_in.code, locale, device)
