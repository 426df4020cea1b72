"""Staff accounts: password hashes, login throttling and server-side login sessions."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import OperationalError

from ..extensions import db
from ..infra import changes
from ..infra.database import insert_if_missing, read_once, write_if_free, write_transaction
from ..models import Practice, Role, Staff, StaffRole, StaffSession, Throttle, utcnow


class AccountError(ValueError):
    """A staff account cannot be created as asked."""


class LoginResult(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # an unknown email, a wrong password or a locked account: the same
    ADDRESS_LOCKED = "address_locked"  # too many failures from this address, whoever for


@dataclass(frozen=True)
class Policy:
    max_failures: int
    lockout: timedelta
    idle_timeout: timedelta
    absolute_timeout: timedelta
    hash_profile: str = "RFC_9106_LOW_MEMORY"
    # Failures older than this are forgotten; a lock doubles with each lock before it
    # (locks further apart than a day start again) up to lockout_max.
    failure_window: timedelta = timedelta(minutes=15)
    lockout_max: timedelta = timedelta(hours=1)
    # Failures from one address within address_window, whichever accounts they named,
    # before it must wait address_lockout.
    max_failures_per_address: int = 10
    address_window: timedelta = timedelta(hours=1)
    address_lockout: timedelta = timedelta(hours=1)

    def hasher(self) -> PasswordHasher:
        return PasswordHasher.from_parameters(getattr(profiles, self.hash_profile))

    def lock_for(self, earlier_locks: int) -> timedelta:
        """Return how long the next lock lasts after this many locks in a row."""
        return min(self.lockout * 2 ** min(earlier_locks, 16), self.lockout_max)


# Locks further apart than this start the doubling again.
LOCKS_IN_A_ROW = timedelta(days=1)

# A valid hash per hashing profile to verify against when an email is unknown, so that
# both take one verification. Made once per process: making it is as slow as verifying.
_DUMMY: dict[str, str] = {}


def _dummy_hash(policy: Policy, hasher: PasswordHasher) -> str:
    if policy.hash_profile not in _DUMMY:
        _DUMMY[policy.hash_profile] = hasher.hash(secrets.token_hex(8))
    return _DUMMY[policy.hash_profile]


def hash_password(password: str, policy: Policy) -> str:
    """Return an argon2id hash of the password."""
    return policy.hasher().hash(password)


def is_acceptable_email(email: str) -> bool:
    """Tell whether an address can name a staff account (no control or space characters)."""
    return ("@" in email and len(email) <= 254
            and not any(unicodedata.category(char)[0] in "CZ" for char in email))


def create_staff(
    email: str, password: str, role: str, policy: Policy, name: str = "", locale: str | None = None,
    reads: tuple[str, ...] = (),
) -> Staff:
    """Create a staff account; refuse a duplicate email, an unknown role or a short password."""
    email = email.strip().lower()
    if role not in set(Role):
        raise AccountError(f"unknown role {role!r}")
    if not is_acceptable_email(email):
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
            reads=",".join(reads),
            password_hash=hash_password(password, policy),
        )
        session.add(staff)
    return staff


def authenticate(email: str, password: str, policy: Policy,
                 address: str | None = None) -> tuple[LoginResult, Staff | None]:
    """Check a login's password; throttle failures per account and per address.

    An unknown email, a wrong password and a locked account answer alike, after one
    password verification each: neither the message nor the time tells them apart.
    """
    email = email.strip().lower()
    hasher = policy.hasher()
    now = utcnow()
    address_key = f"staff-address:{address or '-'}"[:128]
    if _address_locked(address_key, now):
        return LoginResult.ADDRESS_LOCKED, None
    staff = db.session.scalar(select(Staff).where(Staff.email == email))
    if staff is None or not staff.is_enabled:
        _verify(hasher, _dummy_hash(policy, hasher), password)
        _fail(None, address_key, policy, now)
        return LoginResult.WRONG, None
    right = _verify(hasher, staff.password_hash, password)
    locked = is_locked(staff, now)
    if not right:
        # A lock is not lengthened by more failures: it always ends.
        _fail(None if locked else staff.id, address_key, policy, now)
        return LoginResult.WRONG, None
    if locked:
        return LoginResult.WRONG, None
    with write_transaction() as session:
        staff = session.get(Staff, staff.id)
        # A right password forgives wrong passwords, never wrong two-factor codes.
        staff.failed_logins = 0
        staff.failures_since = None
        staff.lockouts = 0
        if hasher.check_needs_rehash(staff.password_hash):
            staff.password_hash = hasher.hash(password)
    return LoginResult.OK, staff


def _verify(hasher: PasswordHasher, hashed: str, password: str) -> bool:
    try:
        return hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _address_locked(key: str, now: datetime) -> bool:
    row = db.session.get(Throttle, key)
    return row is not None and row.locked_until is not None and row.locked_until > now


def _fail(staff_id: int | None, address_key: str, policy: Policy, now: datetime) -> None:
    """Count a wrong password against its address and, unless locked, its account.

    One transaction whether the account exists or not, so both take as long.
    """
    with write_transaction() as session:
        # Two failures from a new address at once must not both try to create its row.
        insert_if_missing(session, Throttle, {"key": address_key, "failures": 0,
                                              "window_started_at": now})
        row = session.get(Throttle, address_key)
        session.refresh(row, with_for_update=True)
        if now - row.window_started_at > policy.address_window:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        if row.failures >= policy.max_failures_per_address:
            row.locked_until, row.failures, row.window_started_at = (
                now + policy.address_lockout, 0, now)
        if staff_id is not None:
            _count(staff_id, PASSWORDS, policy, now)


@dataclass(frozen=True)
class _Counter:
    """The columns of one kind of failure on the staff row."""

    failures: str
    since: str
    locked_until: str
    lockouts: str


PASSWORDS = _Counter("failed_logins", "failures_since", "locked_until", "lockouts")
CODES = _Counter("failed_codes", "codes_failed_since", "codes_locked_until", "code_lockouts")


def _count(staff_id: int, counter: _Counter, policy: Policy, now: datetime) -> None:
    with write_transaction() as session:
        staff = session.get(Staff, staff_id)
        session.refresh(staff, with_for_update=True)
        since = getattr(staff, counter.since)
        failures = getattr(staff, counter.failures) or 0
        if since is None or now - since > policy.failure_window:
            failures, since = 0, now  # older failures have decayed
        failures += 1
        if failures >= policy.max_failures:
            previous = getattr(staff, counter.locked_until)
            earlier = getattr(staff, counter.lockouts) or 0
            if previous is None or now - previous > LOCKS_IN_A_ROW:
                earlier = 0
            setattr(staff, counter.locked_until, now + policy.lock_for(earlier))
            setattr(staff, counter.lockouts, earlier + 1)
            failures, since = 0, None
        setattr(staff, counter.failures, failures)
        setattr(staff, counter.since, since)


def record_failure(staff_id: int, policy: Policy, now: datetime) -> None:
    """Count a wrong password; lock the account after too many in a short time."""
    _count(staff_id, PASSWORDS, policy, now)


def record_code_failure(staff_id: int, policy: Policy, now: datetime) -> None:
    """Count a wrong two-factor code, on its own: a right password never forgives it."""
    _count(staff_id, CODES, policy, now)


def is_locked(staff: Staff, now: datetime) -> bool:
    """Tell whether wrong passwords locked the account."""
    return staff.locked_until is not None and staff.locked_until > now


def codes_locked(staff: Staff, now: datetime) -> bool:
    """Tell whether wrong two-factor codes locked the account's code step."""
    return staff.codes_locked_until is not None and staff.codes_locked_until > now


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
    request after the login. The practice's two-factor rule comes in the same statement
    (read on every request, so a rule turned on holds on every worker at once), and so do
    the revision numbers every kept staff page depends on (infra/changes.py).
    """

    id: int
    email: str
    name: str
    role: str
    locale: str | None
    reads: str  # the languages they read clients' words in ("es,ar")
    two_factor: bool  # signs in with a code from an authenticator app
    practice_requires_two_factor: bool
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
           Staff.reads, Staff.totp_secret.is_not(None),
           select(Practice.require_two_factor).limit(1).scalar_subquery(),
           *changes.NUMBERS)
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
    numbers = len(changes.NUMBERS)
    changes.remember(rows[0][-numbers:])  # what the staff page is kept by, read first
    (created_at, last_seen_at, ended_at, is_enabled, *staff,
     requires_two_factor) = rows[0][:-numbers]
    if ended_at is not None or not is_enabled:
        return None
    now = utcnow()
    if now - last_seen_at > policy.idle_timeout or now - created_at > policy.absolute_timeout:
        end_session(token)
        return None
    if now - last_seen_at > timedelta(seconds=30):
        # Refresh the idle clock at most twice a minute, not on every request; never
        # wait for another writer to do it (a page that only reads must not wait).
        try:
            with write_if_free() as session:
                session.execute(
                    update(StaffSession)
                    .where(StaffSession.id == _digest(token))
                    .values(last_seen_at=now)
                )
        except OperationalError:
            db.session.rollback()  # the next request refreshes it
    return SignedIn(*staff, practice_requires_two_factor=bool(requires_two_factor),
                    session_token=token)


def end_session(token: str) -> None:
    """End a login session for good."""
    with write_transaction() as session:
        session.execute(
            update(StaffSession)
            .where(StaffSession.id == _digest(token), StaffSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def languages_read(staff: Staff | Viewer, default_locale: str) -> frozenset[str]:
    """Return the languages a staff member reads: those they listed, and always the one
    their pages are in."""
    listed = {code for code in (getattr(staff, "reads", "") or "").split(",") if code}
    return frozenset({*listed, staff.locale or default_locale})
