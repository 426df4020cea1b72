"""Two-factor sign-in for staff: one-time codes from an authenticator app (TOTP, RFC 6238).

A code is accepted once: the time step it belongs to is stored with a conditional
update that only one request can win, so a code seen over a shoulder, or sent twice
by a double tap, cannot open a second session. Codes from the step before and after
the current one are accepted too, for phones whose clock is a little off.

The shared secret is stored sealed with the text keys (sealing.py), bound to its
account: a copy of the database alone cannot make codes.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from datetime import datetime

import pyotp
from sqlalchemy import or_, update

from ..infra.database import write_transaction
from ..infra.sealing import keyring
from ..models import Staff
from . import audit

WINDOW = 1  # time steps (of 30 s) accepted before and after the current one
CODE = re.compile(r"[0-9]{6}")


def new_secret() -> str:
    """Return a new random secret to share with an authenticator app (160 bits, base32)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    """Return the otpauth:// address an authenticator app reads from a QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer or None)


def normalize(code: str | None) -> str:
    """Return a typed code in ASCII digits, without the spaces and dashes people add.

    An Arabic or Persian keyboard types the digits the app shows in its own script: the
    same code.
    """
    typed = re.sub(r"[\s-]", "", code or "")[:12]
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in typed)


def matching_step(secret: str, code: str | None, now: datetime) -> int | None:
    """Return the time step this code belongs to, near now; None if it matches none."""
    code = normalize(code)
    if not CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    found = None
    for step in range(current - WINDOW, current + WINDOW + 1):
        # Compare every candidate, in constant time, whatever matched before.
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def binding(staff_id: int) -> bytes:
    """Return what ties a sealed secret to its account."""
    return f"staff/{staff_id}/totp".encode()


def accept(staff: Staff, code: str | None, now: datetime) -> bool:
    """Accept a code for a sign-in once; refuse a wrong, stale or already used one."""
    if staff.totp_secret is None:
        return False
    secret = keyring().open(staff.totp_secret, staff.totp_sealed_with or "",
                            binding(staff.id))
    step = matching_step(secret, code, now)
    if step is None:
        return False
    with write_transaction() as session:
        won = session.execute(
            update(Staff)
            .where(Staff.id == staff.id, Staff.totp_secret == staff.totp_secret,
                   or_(Staff.totp_last_step.is_(None), Staff.totp_last_step < step))
            # Only a right code forgives wrong codes (a right password never does).
            .values(totp_last_step=step, failed_codes=0, codes_failed_since=None,
                    code_lockouts=0)
        ).rowcount
    return won == 1


def turn_on(staff_id: int, secret: str, code: str | None, now: datetime) -> bool:
    """Store the secret once the app shows a right code for it; the code is then used."""
    step = matching_step(secret, code, now)
    if step is None:
        return False
    sealed, key_id = keyring().seal(secret, binding(staff_id))
    with write_transaction() as session:
        won = session.execute(
            update(Staff)
            .where(Staff.id == staff_id, Staff.totp_secret.is_(None))
            .values(totp_secret=sealed, totp_sealed_with=key_id, totp_last_step=step)
        ).rowcount
        if won:
            audit.add(session, "two_factor.on", staff_id)
    return won == 1


def turn_off(actor_id: int, staff_id: int) -> bool:
    """Forget a staff member's secret (their own choice, or an admin's after a lost phone)."""
    with write_transaction() as session:
        won = session.execute(
            update(Staff)
            .where(Staff.id == staff_id, Staff.totp_secret.is_not(None))
            .values(totp_secret=None, totp_sealed_with=None, totp_last_step=None)
        ).rowcount
        if won:
            audit.add(session, "two_factor.off", actor_id, detail=f"staff {staff_id}")
    return won == 1
