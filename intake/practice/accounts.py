"""Staff accounts: password hashes, login throttling and server-side login sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select, update

from ..extensions import db
from ..infra.database import read_once, write_transaction
from ..models import Role, Staff, StaffRole, StaffSession, utcnow


class AccountError(ValueError):
    """A staff account cannot be created as asked."""


class LoginResult(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class Policy:
    max_failures: int
    lockout: timedelta
    idle_timeout: timedelta
    absolute_timeout: timedelta
    hash_profile: str = "RFC_9106_LOW_MEMORY"

    def hasher(self) -> PasswordHasher:
        return PasswordHasher.from_parameters(getattr(profiles, self.hash_profile))


# A valid hash to verify against when the email is unknown, so both take as long.
_DUMMY: dict[str, str] = {}


def hash_password(password: str, policy: Policy) -> str:
    """Return an argon2id hash of the password."""
    return policy.hasher().hash(password)


def create_staff(
    email: str, password: str, role: str, policy: Policy, name: str = "", locale: str | None = None
) -> Staff:
    """Create a staff account; refuse a duplicate email, an unknown role or a short password."""
    email = email.strip().lower()
    if role not in set(Role):
        raise AccountError(f"unknown role {role!r}")
    if "@" not in email or len(email) > 254:
        raise AccountError(f"not an email address: {email!r}")
    if len(password) < 10:
        raise AccountError("the password must have at least 10 characters")
    with write_transaction() as session:
        if session.scalar(select(Staff.id).where(Staff.email == email)) is not None:
            raise AccountError(f"a staff account for {email} already exists")
        staff = Staff(
            email=email,
            name=name,
            role=role,
            locale=locale,
            password_hash=hash_password(password, policy),
        )
        session.add(staff)
    return staff


def authenticate(email: str, password: str, policy: Policy) -> tuple[LoginResult, Staff | None]:
    """Check a login's password; count failures per account and lock it after too many."""
    email = email.strip().lower()
    hasher = policy.hasher()
    staff = db.session.scalar(select(Staff).where(Staff.email == email))
    now = utcnow()
    if staff is None or not staff.is_enabled:
        dummy = _DUMMY.setdefault(policy.hash_profile, hasher.hash(secrets.token_hex(8)))
        _verify(hasher, dummy, password)
        return LoginResult.WRONG, None
    if is_locked(staff, now):
        return LoginResult.LOCKED, None
    if not _verify(hasher, staff.password_hash, password):
        record_failure(staff.id, policy, now)
        return LoginResult.WRONG, None
    with write_transaction() as session:
        staff = session.get(Staff, staff.id)
        staff.failed_logins = 0
        staff.locked_until = None
        if hasher.check_needs_rehash(staff.password_hash):
            staff.password_hash = hasher.hash(password)
    return LoginResult.OK, staff


def _verify(hasher: PasswordHasher, hashed: str, password: str) -> bool:
    try:
        return hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def record_failure(staff_id: int, policy: Policy, now: datetime) -> None:
    """Count a wrong password or code; lock the account after too many."""
    with write_transaction() as session:
        session.execute(
            update(Staff)
            .where(Staff.id == staff_id)
            .values(failed_logins=Staff.failed_logins + 1)
        )
        staff = session.get(Staff, staff_id)
        session.refresh(staff)
        if staff.failed_logins >= policy.max_failures:
            staff.failed_logins = 0
            staff.locked_until = now + policy.lockout


def is_locked(staff: Staff, now: datetime) -> bool:
    return staff.locked_until is not None and staff.locked_until > now


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(staff: Staff) -> str:
    """Open a login session on the server; return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    with write_transaction() as session:
        session.add(StaffSession(id=_digest(token), staff_id=staff.id))
    return token


@dataclass(frozen=True)
class SignedIn(StaffRole):
    """The staff member of this request's login session, as every staff page needs them.

    Read with the session in one statement; Flask-Login's current_user on every
    request after the login.
    """

    id: int
    email: str
    name: str
    role: str
    locale: str | None
    two_factor: bool  # signs in with a code from an authenticator app
    session_token: str
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return self.session_token


# Whom a page is for: the signed-in staff member, or an account row (at login, in tools).
Viewer = Staff | SignedIn

_LOGIN = (
    select(StaffSession.created_at, StaffSession.last_seen_at, StaffSession.ended_at,
           Staff.is_enabled, Staff.id, Staff.email, Staff.name, Staff.role, Staff.locale,
           Staff.totp_secret.is_not(None))
    .join(Staff, Staff.id == StaffSession.staff_id)
    .where(StaffSession.id == bindparam("digest"))
)


def resume_session(token: str, policy: Policy) -> SignedIn | None:
    """Return the staff member of a live login session, or None once it has ended."""
    if not token or len(token) > 64:
        return None
    rows = read_once(_LOGIN, {"digest": _digest(token)})
    if not rows:
        return None
    created_at, last_seen_at, ended_at, is_enabled, *staff = rows[0]
    if ended_at is not None or not is_enabled:
        return None
    now = utcnow()
    if now - last_seen_at > policy.idle_timeout or now - created_at > policy.absolute_timeout:
        end_session(token)
        return None
    if now - last_seen_at > timedelta(seconds=30):
        # Refresh the idle clock at most twice a minute, not on every request.
        with write_transaction() as session:
            session.execute(
                update(StaffSession)
                .where(StaffSession.id == _digest(token))
                .values(last_seen_at=now)
            )
    return SignedIn(*staff, session_token=token)


def end_session(token: str) -> None:
    """End a login session for good."""
    with write_transaction() as session:
        session.execute(
            update(StaffSession)
            .where(StaffSession.id == _digest(token), StaffSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
