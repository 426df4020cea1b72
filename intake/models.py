"""The practice's data: staff, clients, rooms, appointments, check-ins, responses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .brief.model import Thresholds
from .extensions import db
from .infra.sealing import open_answer

# SQLite would give an erased row's id to the next one (migration 0007); PostgreSQL's
# sequences never do.
NEVER_REUSED = {"sqlite_autoincrement": True}

# The alert thresholds' defaults have one source: the brief's rules (brief/model.py).
DEFAULT_THRESHOLDS = Thresholds()


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Store naive UTC, return aware UTC, on every database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime")
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=UTC) if value is not None else None


class Role(StrEnum):
    THERAPIST = "therapist"
    FRONTDESK = "frontdesk"
    ADMIN = "admin"


class AppointmentState(StrEnum):
    SCHEDULED = "scheduled"
    ATTENDED = "attended"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class AppointmentKind(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"


class CheckInState(StrEnum):
    WAITING = "waiting"
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class Practice(db.Model):
    """The one practice that runs this installation, and its settings."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    crisis_line: Mapped[str] = mapped_column(String(120), default="")
    emergency_number: Mapped[str] = mapped_column(String(40), default="")
    default_locale: Mapped[str] = mapped_column(String(16), default="en")
    survey_every_appointments: Mapped[int | None] = mapped_column(Integer)
    survey_every_weeks: Mapped[int | None] = mapped_column(Integer)
    alert_score_drop: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_THRESHOLDS.score_drop)
    alert_score_floor: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_THRESHOLDS.score_floor)
    # "Listened" and "ideas taken seriously": a floor of their own (migration 0009).
    alert_alliance_floor: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_THRESHOLDS.alliance_floor,
        server_default=str(DEFAULT_THRESHOLDS.alliance_floor))
    alert_silence_weeks: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_THRESHOLDS.silence_weeks)
    # Every staff member must sign in with a one-time code from an authenticator app.
    require_two_factor: Mapped[bool] = mapped_column(Boolean, default=False,
                                                     server_default=false())
    # The desk may keep a client's email address when it emails the intake link (sealed).
    keep_client_email: Mapped[bool] = mapped_column(Boolean, default=False,
                                                    server_default=false())
    # The IANA time zone appointments are entered and shown in; None follows
    # INTAKE_TIMEZONE (or UTC). Times are stored in UTC.
    timezone: Mapped[str | None] = mapped_column(String(64))
    appointment_minutes: Mapped[int] = mapped_column(Integer, default=50, server_default="50")


class StaffRole:
    """What a staff page asks of its viewer, for an account row and a signed-in record."""

    email: str
    name: str
    role: str

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


class Staff(StaffRole, UserMixin, db.Model):
    """A person who logs in: a therapist, the front desk or an admin."""

    __table_args__ = (
        CheckConstraint("role in ('therapist', 'frontdesk', 'admin')", name="role"),
        CheckConstraint("totp_secret IS NULL OR totp_sealed_with IS NOT NULL",
                        name="totp_sealed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(16))
    # The languages they read, as locale codes ("es,ar"); empty: only their pages' language.
    reads: Mapped[str] = mapped_column(String(200), default="", server_default="")
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Login throttling (accounts.py): wrong passwords and wrong two-factor codes are counted
    # apart, each in a window that decays, and each lock grows with the locks before it.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    failures_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lockouts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_codes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    codes_failed_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    codes_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    code_lockouts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Two-factor sign-in (intake/two_factor.py): the authenticator's shared secret, sealed
    # (sealing.py) with the key named beside it, and the last time step a code was
    # accepted for, so that no code is accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(128))
    totp_sealed_with: Mapped[str | None] = mapped_column(String(16))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    # The login session this request belongs to; set by the user loader, never stored.
    session_token = None

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    @property
    def two_factor(self) -> bool:
        return self.totp_secret is not None


class StaffSession(db.Model):
    """One login, kept on the server so that logout and time-outs end it for good."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie token
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff: Mapped[Staff] = relationship(lazy="joined")


class Room(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Client(db.Model):
    """A person in therapy, known by a reference the practice chooses, not by name."""

    __table_args__ = (
        CheckConstraint("survey_mode in ('off', 'appointments', 'weeks')", name="survey_mode"),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    therapist_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    locale: Mapped[str] = mapped_column(String(16), default="en")
    display_name: Mapped[str | None] = mapped_column(String(120))
    # None follows the practice's schedule; otherwise this client's own.
    survey_mode: Mapped[str | None] = mapped_column(String(16))
    survey_interval: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the client last submitted anything (kept with each submission, for lists).
    last_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Kept only when the practice says so (Practice.keep_client_email); sealed like free text,
    # bound to this client, with the id of the key beside it.
    email: Mapped[str | None] = mapped_column(Text)
    email_sealed_with: Mapped[str | None] = mapped_column(String(16))

    therapist: Mapped[Staff] = relationship()


class Appointment(db.Model):
    """One therapy appointment: who, when (stored in UTC), how long, where, and how it went."""

    __table_args__ = (
        Index("ix_appointment_client_starts", "client_id", "starts_at"),
        CheckConstraint("state in ('scheduled', 'attended', 'cancelled', 'no_show')",
                        name="state"),
        CheckConstraint("kind in ('in_person', 'video')", name="kind"),
        CheckConstraint("minutes > 0", name="minutes"),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    therapist_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    minutes: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    kind: Mapped[str] = mapped_column(String(16), default=AppointmentKind.IN_PERSON,
                                      server_default="in_person")
    state: Mapped[str] = mapped_column(String(16), default=AppointmentState.SCHEDULED,
                                       server_default="scheduled")
    # Where an imported appointment came from: an iCalendar UID (with the recurrence id
    # of one occurrence), so that importing the same file again changes nothing.
    import_uid: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow,
                                                        onupdate=utcnow)

    room: Mapped[Room | None] = relationship()
    client: Mapped[Client] = relationship()
    therapist: Mapped[Staff] = relationship()

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


class CheckIn(db.Model):
    """One invitation to fill one questionnaire, with a typed code and a phone link."""

    __table_args__ = (Index("ix_check_in_client_created", "client_id", "created_at"),
                      Index("ux_check_in_follows", "follows_id", unique=True),
                      NEVER_REUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment.id", ondelete="SET NULL"), index=True
    )
    questionnaire: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    link_nonce: Mapped[str] = mapped_column(String(43), unique=True)
    # The device that redeemed the code last holds this; only it may save.
    claim: Mapped[str | None] = mapped_column(String(43))
    # A hash of that device's cookie: the same phone may open its link again.
    device: Mapped[str | None] = mapped_column(String(64))
    # The check-in after which this one (a periodic survey) was offered: once each.
    follows_id: Mapped[int | None] = mapped_column(
        ForeignKey("check_in.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    link_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client: Mapped[Client] = relationship()
    # Loaded only where a page shows it (checkins.for_client); never on the kiosk's paths.
    appointment: Mapped[Appointment | None] = relationship()

    def state(self, now: datetime | None = None) -> CheckInState:
        """Return where this check-in stands at `now`."""
        if self.cancelled_at:
            return CheckInState.CANCELLED
        if self.finished_at:
            return CheckInState.FINISHED
        if (now or utcnow()) >= self.expires_at:
            return CheckInState.EXPIRED
        if self.started_at:
            return CheckInState.IN_PROGRESS
        return CheckInState.WAITING


class Response(db.Model):
    """One client's answers to one questionnaire: a draft until submitted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(
        ForeignKey("check_in.id", ondelete="CASCADE"), unique=True
    )
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    questionnaire: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    locale: Mapped[str] = mapped_column(String(16))
    step: Mapped[int] = mapped_column(Integer, default=0)  # the next step to show
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    answers: Mapped[list[Answer]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Answer.id"
    )

    __table_args__ = (Index("ix_response_client_submitted", "client_id", "submitted_at"),
                      NEVER_REUSED)


class Answer(db.Model):
    """One question's value: a choice code, a number, or free text, sealed (sealing.py)."""

    __table_args__ = (
        UniqueConstraint("response_id", "question", "position"),
        # No text is ever stored as written (SQLite enforces it with a trigger, 0004).
        CheckConstraint("text IS NULL OR sealed_with IS NOT NULL", name="sealed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str | None] = mapped_column(String(64))
    number: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    text_locale: Mapped[str | None] = mapped_column(String(16))
    # The id of the key that sealed the text (the key itself is outside the database).
    sealed_with: Mapped[str | None] = mapped_column(String(16))

    def written(self) -> str | None:
        """Return the text as the client wrote it, opened with its key."""
        return open_answer(self.text, self.sealed_with, self.response_id, self.question,
                           self.position)


class Alert(db.Model):
    """An alert the brief rules raised for a client, kept so lists can sort by attention.

    The rules recompute alerts from the answers; this table remembers which were raised
    and which a therapist acknowledged (who and when).
    """

    __table_args__ = (
        UniqueConstraint("client_id", "key"),
        Index("ix_alert_open", "client_id", "acknowledged_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))
    # Only the practice coordinator may see it (a client's private answer).
    is_coordinator_only: Mapped[bool] = mapped_column(Boolean, default=False)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    acknowledged_by: Mapped[Staff | None] = relationship()


class ClientView(db.Model):
    """When a staff member last opened a client's brief: what is new since then."""

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    client_id: Mapped[int] = mapped_column(
        ForeignKey("client.id", ondelete="CASCADE"), primary_key=True
    )
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEvent(db.Model):
    """Who did what to which client's data, and when; never the data itself."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("client.id", ondelete="SET NULL"), index=True
    )
    detail: Mapped[str] = mapped_column(String(200), default="")

    actor: Mapped[Staff | None] = relationship()


class Throttle(db.Model):
    """Failed attempts for one key (a kiosk device or an address), for code guessing."""

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Revision(db.Model):
    """One number per topic the database raises on every change staff pages show
    (infra/changes.py: practice, clients, check-ins, answers).

    Triggers raise them (migrations 0002 and 0008), so no code path can forget to.
    """

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    number: Mapped[int] = mapped_column(Integer, default=0)


class ConsentChoice(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Consent(db.Model):
    """What a client chose on the consent page, when, and which text they read.

    Appended, never changed: the latest row is the client's current choice.
    """

    __table_args__ = (
        CheckConstraint("choice in ('accepted', 'declined')", name="choice"),
        Index("ix_consent_client_at", "client_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    choice: Mapped[str] = mapped_column(String(16))
    # The version of the consent page's words (practice/consent.py), and the language read.
    text_version: Mapped[int] = mapped_column(Integer)
    locale: Mapped[str] = mapped_column(String(16))
    # When the practice's own limits of confidentiality were last changed, as read.
    limits_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConfidentialityLimits(db.Model):
    """The practice's limits of confidentiality in one language, as the consent page says them.

    No row for a language: the default text of practice/consent.py, translated.
    """

    locale: Mapped[str] = mapped_column(String(16), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FollowUpState(StrEnum):
    OPEN = "open"
    CONTACTED = "contacted"
    RESOLVED = "resolved"


class FollowUp(db.Model):
    """A coordinator's task: contact a client who would prefer a different therapist.

    One per alert that asked for it; each change of state is an audit event.
    """

    __table_args__ = (
        UniqueConstraint("client_id", "alert_key"),
        CheckConstraint("state in ('open', 'contacted', 'resolved')", name="state"),
        Index("ix_follow_up_state", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    alert_key: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(16), default=FollowUpState.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"))

    client: Mapped[Client] = relationship()
    changed_by: Mapped[Staff | None] = relationship()
