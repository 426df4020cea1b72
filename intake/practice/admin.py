"""What an admin changes: the practice's settings, staff accounts, rooms, who treats whom.

Each change is one write transaction that carries its own audit event. Nothing here
reads the request: the views validate what was typed, these functions check it again
(SQLite enforces neither lengths nor ranges) and write it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..infra.database import write_transaction
from ..models import (
    DEFAULT_THRESHOLDS,
    Appointment,
    Client,
    Practice,
    Role,
    Staff,
    StaffSession,
    utcnow,
)
from . import audit, clients, surveys
from .accounts import Policy, create_staff, hash_password
from .settings import forget_practice

# The columns' own lengths, so a form and its column cannot disagree.
PRACTICE_NAME_MAX = Practice.name.type.length
CRISIS_LINE_MAX = Practice.crisis_line.type.length
EMERGENCY_NUMBER_MAX = Practice.emergency_number.type.length
STAFF_EMAIL_MAX = Staff.email.type.length
STAFF_NAME_MAX = Staff.name.type.length
PASSWORD_MIN = 10  # as accounts.create_staff requires
PASSWORD_MAX = 200  # as the login form accepts

SURVEY_MODES = surveys.MODES
RANGES = {
    "survey_interval": (1, surveys.MAX_INTERVAL),
    "alert_score_drop": (1, 10),
    "alert_score_floor": (0, 10),
    "alert_alliance_floor": (0, 10),
    "alert_silence_weeks": (1, 52),
    "appointment_minutes": (5, 720),
}


class AdminError(ValueError):
    """A change cannot be made as asked; the subclass says why."""


class NotFound(AdminError, LookupError):
    """The staff member, room or client does not exist."""


class InvalidValue(AdminError):
    """A value is too long, out of range, or not one of the allowed ones."""


class EmailTaken(AdminError):
    """Another staff account already has this email."""


class OwnAccount(AdminError):
    """An admin may not disable their own account or change their own role."""


class StillHasClients(AdminError):
    """A therapist with clients cannot take another role."""

    def __init__(self, count: int) -> None:
        super().__init__(f"the therapist still has {count} clients")
        self.count = count


class NotATherapist(AdminError):
    """Clients can only go to an enabled therapist."""


def clean_text(value: str, max_length: int, required: bool = False) -> str:
    """Return one line of text without surrounding spaces; refuse control characters."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidValue("empty")
    if len(text) > max_length:
        raise InvalidValue(f"longer than {max_length} characters")
    if has_control_characters(text):
        raise InvalidValue("control characters")
    return text


def has_control_characters(text: str) -> bool:
    """Tell whether the text holds NUL, line breaks, tabs or other control characters."""
    return any(unicodedata.category(char) == "Cc" for char in text)


# Practice settings


@dataclass(frozen=True)
class PracticeSettings:
    """The practice's settings as an admin edits them."""

    name: str = ""
    crisis_line: str = ""
    emergency_number: str = ""
    default_locale: str = "en"
    survey_mode: str = "off"
    survey_interval: int | None = None
    alert_score_drop: int = DEFAULT_THRESHOLDS.score_drop
    alert_alliance_floor: int = DEFAULT_THRESHOLDS.alliance_floor
    alert_score_floor: int = DEFAULT_THRESHOLDS.score_floor
    alert_silence_weeks: int = DEFAULT_THRESHOLDS.silence_weeks
    require_two_factor: bool = False
    keep_client_email: bool = False
    timezone: str = ""  # empty: INTAKE_TIMEZONE
    appointment_minutes: int = 50

    @classmethod
    def of(cls, practice: Practice | None) -> PracticeSettings:
        """Return the settings stored in a practice row (or the defaults if there is none)."""
        if practice is None:
            return cls()
        schedule = surveys.Schedule.of_practice(practice)
        mode, interval = schedule.mode, schedule.interval
        return cls(
            name=practice.name, crisis_line=practice.crisis_line,
            emergency_number=practice.emergency_number, default_locale=practice.default_locale,
            survey_mode=mode, survey_interval=interval,
            alert_score_drop=practice.alert_score_drop,
            alert_alliance_floor=practice.alert_alliance_floor,
            alert_score_floor=practice.alert_score_floor,
            alert_silence_weeks=practice.alert_silence_weeks,
            require_two_factor=practice.require_two_factor,
            keep_client_email=practice.keep_client_email,
            timezone=practice.timezone or "",
            appointment_minutes=practice.appointment_minutes or 50,
        )

    def columns(self, locales: list[str]) -> dict:
        """Return the practice's column values; refuse anything out of bounds."""
        values = asdict(self)
        if self.default_locale not in locales:
            raise InvalidValue(f"unknown locale {self.default_locale!r}")
        if self.survey_mode not in SURVEY_MODES:
            raise InvalidValue(f"unknown survey mode {self.survey_mode!r}")
        if self.survey_mode == "off":
            values["survey_interval"] = None
        for key, (low, high) in RANGES.items():
            value = values[key]
            if value is None and key == "survey_interval" and self.survey_mode == "off":
                continue
            if not isinstance(value, int) or not low <= value <= high:
                raise InvalidValue(f"{key} must be from {low} to {high}")
        interval = values.pop("survey_interval")
        mode = values.pop("survey_mode")
        # At most one schedule is set: the other is cleared.
        values["survey_every_appointments"] = interval if mode == "appointments" else None
        values["survey_every_weeks"] = interval if mode == "weeks" else None
        values["name"] = clean_text(self.name, PRACTICE_NAME_MAX, required=True)
        values["crisis_line"] = clean_text(self.crisis_line, CRISIS_LINE_MAX)
        values["emergency_number"] = clean_text(self.emergency_number, EMERGENCY_NUMBER_MAX)
        values["require_two_factor"] = self.require_two_factor is True
        values["keep_client_email"] = self.keep_client_email is True
        zone = clean_text(self.timezone, 64)
        if zone and not is_time_zone(zone):
            raise InvalidValue(f"unknown time zone {zone!r}")
        values["timezone"] = zone or None
        return values


def is_time_zone(name: str) -> bool:
    """Tell whether a name is an IANA time zone this machine knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return "/" in name or name == "UTC"


def practice_settings() -> PracticeSettings:
    """Return the practice's current settings."""
    return PracticeSettings.of(db.session.scalar(select(Practice).order_by(Practice.id).limit(1)))


def update_practice(actor_id: int, settings: PracticeSettings, locales: list[str]) -> list[str]:
    """Save the practice's settings; return the names of the settings that changed."""
    values = settings.columns(locales)
    with write_transaction() as session:
        practice = session.scalar(select(Practice).order_by(Practice.id).limit(1))
        if practice is None:
            practice = Practice()
            session.add(practice)
        changed = sorted(key for key, value in values.items() if getattr(practice, key) != value)
        for key, value in values.items():
            setattr(practice, key, value)
        if changed:
            # The names of the settings, not their values.
            audit.add(session, "practice.updated", actor_id, detail=" ".join(changed))
        if not practice.keep_client_email:
            clients.forget_emails(session)  # nothing kept that the practice no longer keeps
    forget_practice()
    return changed


# Staff


@dataclass(frozen=True)
class StaffSummary:
    """One staff account in the admin's list, with how many clients it treats."""

    staff: Staff
    client_count: int


def list_staff() -> list[StaffSummary]:
    """Return every staff account, by email, with its number of clients."""
    counts = (
        select(Client.therapist_id, func.count(Client.id).label("count"))
        .group_by(Client.therapist_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Staff, func.coalesce(counts.c.count, 0))
        .outerjoin(counts, counts.c.therapist_id == Staff.id)
        .order_by(Staff.email)
    ).all()
    return [StaffSummary(staff, count) for staff, count in rows]


def get_staff(staff_id: int) -> Staff | None:
    """Return one staff account, or None."""
    return db.session.get(Staff, staff_id)


def clients_of(therapist_id: int) -> list[Client]:
    """Return the clients a therapist treats, by reference."""
    return list(db.session.scalars(
        select(Client).where(Client.therapist_id == therapist_id).order_by(Client.reference)
    ))


def add_staff(actor_id: int, email: str, password: str, role: str, policy: Policy,
              name: str = "", locale: str | None = None) -> Staff:
    """Create a staff account; refuse an email that another account has."""
    email = email.strip().lower()
    name = clean_text(name, STAFF_NAME_MAX)
    try:
        with write_transaction() as session:
            if session.scalar(select(Staff.id).where(Staff.email == email)) is not None:
                raise EmailTaken(email)
            staff = create_staff(email, password, role, policy, name=name, locale=locale)
            session.flush()
            audit.add(session, "staff.added", actor_id, detail=f"staff_id={staff.id} role={role}")
    except IntegrityError as error:  # another admin added it at the same moment
        raise EmailTaken(email) from error
    return staff


def update_staff(actor_id: int, staff_id: int, email: str, name: str,
                 locale: str | None, locales: list[str],
                 reads: list[str] | None = None) -> list[str]:
    """Change an account's email, name, language and the languages they read; return the
    names of what changed."""
    email = email.strip().lower()
    name = clean_text(name, STAFF_NAME_MAX)
    if not email or "@" not in email or len(email) > STAFF_EMAIL_MAX:
        raise InvalidValue("an email address is needed")
    if locale is not None and locale not in locales:
        raise InvalidValue(f"unknown locale {locale!r}")
    if reads is not None and any(code not in locales for code in reads):
        raise InvalidValue("unknown locale in the languages read")
    try:
        with write_transaction() as session:
            staff = _staff(session, staff_id)
            if email != staff.email and session.scalar(
                    select(Staff.id).where(Staff.email == email)) is not None:
                raise EmailTaken(email)
            values = {"email": email, "name": name, "locale": locale}
            if reads is not None:
                values["reads"] = ",".join(code for code in locales if code in reads)
            changed = sorted(key for key, value in values.items()
                             if getattr(staff, key) != value)
            for key in changed:
                setattr(staff, key, values[key])
            if changed:
                # The names of the fields, never the values (an email is personal data).
                audit.add(session, "staff.updated", actor_id,
                          detail=f"staff_id={staff_id} {' '.join(changed)}")
    except IntegrityError as error:
        raise EmailTaken(email) from error
    return changed


def move_clients(actor_id: int, from_id: int, to_id: int) -> tuple[int, int]:
    """Give every client of one therapist to another, with their future appointments.

    One transaction and one audit event; past appointments keep the therapist who held
    them. Return how many clients and appointments moved.
    """
    with write_transaction() as session:
        leaving = _staff(session, from_id)
        if leaving.role != Role.THERAPIST:
            raise NotATherapist(f"staff account {from_id} is not a therapist")
        taking = session.get(Staff, to_id)
        if (taking is None or taking.id == from_id or taking.role != Role.THERAPIST
                or not taking.is_enabled):
            raise NotATherapist(f"staff account {to_id} is not another enabled therapist")
        client_ids = list(session.scalars(select(Client.id).where(Client.therapist_id == from_id)))
        if not client_ids:
            return 0, 0
        session.execute(update(Client).where(Client.id.in_(client_ids))
                        .values(therapist_id=to_id))
        appointments = session.execute(
            update(Appointment)
            .where(Appointment.client_id.in_(client_ids), Appointment.therapist_id == from_id,
                   Appointment.starts_at >= utcnow())
            .values(therapist_id=to_id)
        ).rowcount
        audit.add(session, "staff.clients_moved", actor_id,
                  detail=f"from={from_id} to={to_id} clients={len(client_ids)} "
                         f"appointments={appointments}")
    return len(client_ids), appointments


def set_enabled(actor_id: int, staff_id: int, enabled: bool) -> bool:
    """Enable or disable an account; return whether it changed.

    Disabling ends the account's login sessions on the server, so enabling it again
    later does not bring an old session back.
    """
    if staff_id == actor_id and not enabled:
        raise OwnAccount("an admin cannot disable their own account")
    with write_transaction() as session:
        staff = _staff(session, staff_id)
        if staff.is_enabled == enabled:
            return False
        staff.is_enabled = enabled
        if not enabled:
            _end_sessions(session, staff_id)
        audit.add(session, "staff.enabled" if enabled else "staff.disabled", actor_id,
                  detail=f"staff_id={staff_id}")
    return True


def change_role(actor_id: int, staff_id: int, role: str) -> bool:
    """Give an account another role; return whether it changed.

    A therapist keeps their role while they have clients: reassign the clients first.
    """
    if role not in set(Role):
        raise InvalidValue(f"unknown role {role!r}")
    if staff_id == actor_id:
        raise OwnAccount("an admin cannot change their own role")
    with write_transaction() as session:
        staff = _staff(session, staff_id)
        if staff.role == role:
            return False
        if staff.role == Role.THERAPIST:
            count = session.scalar(
                select(func.count(Client.id)).where(Client.therapist_id == staff_id)
            )
            if count:
                raise StillHasClients(count)
        previous, staff.role = staff.role, role
        audit.add(session, "staff.role_changed", actor_id,
                  detail=f"staff_id={staff_id} from={previous} to={role}")
    return True


def reset_password(actor_id: int, staff_id: int, password: str, policy: Policy) -> None:
    """Set a new password, lift a lockout, and end the account's login sessions."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidValue(f"a password has {PASSWORD_MIN} to {PASSWORD_MAX} characters")
    hashed = hash_password(password, policy)  # before the write lock: hashing is slow
    with write_transaction() as session:
        staff = _staff(session, staff_id)
        staff.password_hash = hashed
        staff.failed_logins = 0
        staff.failures_since = None
        staff.locked_until = None
        staff.lockouts = 0
        # Whoever knew the old password is logged out.
        _end_sessions(session, staff_id)
        audit.add(session, "staff.password_reset", actor_id, detail=f"staff_id={staff_id}")


def _staff(session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(f"no staff account {staff_id}")
    return staff


def _end_sessions(session, staff_id: int) -> None:
    session.execute(
        update(StaffSession)
        .where(StaffSession.staff_id == staff_id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


# Clients


def reassign_client(actor_id: int, client_id: int, therapist_id: int) -> bool:
    """Give a client another therapist; return whether the therapist changed.

    The client's future appointments with the old therapist move too; past ones
    keep the therapist who held them.
    """
    with write_transaction() as session:
        client = session.get(Client, client_id)
        if client is None:
            raise NotFound(f"no client {client_id}")
        therapist = session.get(Staff, therapist_id)
        if therapist is None or therapist.role != Role.THERAPIST or not therapist.is_enabled:
            raise NotATherapist(f"staff account {therapist_id} is not an enabled therapist")
        previous = client.therapist_id
        if previous == therapist_id:
            return False
        client.therapist_id = therapist_id
        moved = session.execute(
            update(Appointment)
            .where(Appointment.client_id == client_id, Appointment.therapist_id == previous,
                   Appointment.starts_at >= utcnow())
            .values(therapist_id=therapist_id)
        ).rowcount
        audit.add(session, "client.reassigned", actor_id, client_id=client_id,
                  detail=f"from={previous} to={therapist_id} appointments={moved}")
    return True
