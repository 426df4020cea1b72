"""A demo practice: staff, rooms, and clients with a few weeks of history in four languages."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select

from ..answers.alerts import raise_alerts
from ..answers.submit import record_response, write_response
from ..infra.database import write_transaction
from ..models import (
    Appointment,
    AppointmentKind,
    AppointmentState,
    CheckIn,
    Client,
    Consent,
    ConsentChoice,
    Practice,
    Response,
    Role,
    Room,
    Staff,
    utcnow,
)
from ..questionnaires import REGISTRY
from . import appointments, consent
from .accounts import Policy, hash_password

PASSWORD = "demo-password"  # noqa: S105  (printed for the demo; never used in production)
LOGINS = (
    ("admin@example.org", Role.ADMIN),
    ("ana@example.org", Role.THERAPIST),
    ("omar@example.org", Role.THERAPIST),
    ("desk@example.org", Role.FRONTDESK),
)
NAMES = {
    "admin@example.org": ("Alex Admin", "en"),
    "ana@example.org": ("Ana Ruiz", "es"),
    "omar@example.org": ("Omar Haddad", "ar"),
    "desk@example.org": ("Dana Desk", "en"),
}

INTAKES = {
    "en": {
        "goal_1": "Sleep better and worry less at night",
        "goal_2": "Stop arguing with my sister every week",
        "values_to_respect": "I am a practising Christian.",
    },
    "es": {
        "goal_1": "Volver a disfrutar de mi trabajo",
        "goal_2": "Hablar con mi padre sin discutir",
        "values_to_respect": "Mi familia es muy importante para mí.",
    },
    "ar": {
        "goal_1": "أريد أن أتحكم في غضبي",
        "goal_2": "أن أنام بشكل أفضل",
        "values_to_respect": "أنا مسلم وأصوم في رمضان.",
    },
    "zh_Hans": {
        "goal_1": "减少焦虑，能够正常上课",
        "values_to_respect": "请尊重我的家庭传统。",
    },
}
NOTES = {
    "en": "It was hard to talk about my dad. Maybe next time.",
    "es": "Me costó hablar de mi madre.",
    "ar": "كان من الصعب أن أتكلم عن عملي.",
    "zh_Hans": "这次有点紧张，但还好。",
}

DEMO_CLIENTS = (
    # reference, therapist, language, intake answers beyond the goals
    ("C-1001", "ana@example.org", "es", {
        "whose_idea": "self", "wants_to_be_here": 8, "prior_therapy": "not_helpful",
        "prior_what_did_not_work": "Sentía que no me escuchaban.",
        "beliefs": ["told_what_to_do", "quick_fix"], "worried_could_find_out": ["employer_school"],
        "judgement_worry": 2, "judgement_topics": ["relationships"], "feelings_comfort": 3,
        "feelings_culture": "neutral", "room_wishes": ["white_noise", "door_closed"],
        "not_ready_topics": "not_sure", "set_pace": "yes",
    }),
    ("C-1002", "ana@example.org", "en", {
        "whose_idea": "court", "wants_to_be_here": 2, "prior_therapy": "none",
        "beliefs": ["shared_with_family", "will_be_judged"],
        "worried_could_find_out": ["court", "partner_family"], "judgement_worry": 4,
        "judgement_topics": ["substances", "past"], "feelings_comfort": 1,
        "feelings_culture": "discouraged", "room_wishes": ["near_door", "cooler"],
        "not_ready_topics": "yes", "set_pace": "yes", "background_matters": ["gender"],
    }),
    ("C-1003", "omar@example.org", "ar", {
        "whose_idea": "family", "wants_to_be_here": 5, "prior_therapy": "harmful",
        "prior_what_did_not_work": "المعالج السابق لم يحترم ديني.",
        "beliefs": ["only_serious"], "worried_could_find_out": ["parents", "overheard"],
        "judgement_worry": 3, "judgement_topics": ["religion"], "feelings_comfort": 1,
        "feelings_culture": "discouraged", "background_matters": ["religion", "language"],
        "room_wishes": ["white_noise", "warmer"], "not_ready_topics": "yes", "set_pace": "yes",
    }),
    ("C-1004", "omar@example.org", "zh_Hans", {
        "whose_idea": "school", "wants_to_be_here": 6, "prior_therapy": "helpful",
        "beliefs": ["none"], "worried_could_find_out": ["parents"], "judgement_worry": 1,
        "feelings_comfort": 2, "feelings_culture": "not_sure", "room_wishes": ["softer_light"],
        "not_ready_topics": "no", "set_pace": "no_preference",
    }),
    ("C-1005", "ana@example.org", "en", {}),
)


def seed(policy: Policy) -> bool:
    """Create the demo practice unless there is one; return whether it was created."""
    with write_transaction() as session:
        if session.scalar(select(Staff.id).limit(1)) is not None:
            return False
        if session.scalar(select(Practice.id).limit(1)) is None:
            session.add(Practice(
                name="Riverside Counselling", crisis_line="988", emergency_number="911",
                default_locale="en", survey_every_appointments=4,
            ))
        password_hash = hash_password(PASSWORD, policy)
        staff = {}
        for email, role in LOGINS:
            name, locale = NAMES[email]
            staff[email] = Staff(email=email, role=role, name=name, locale=locale,
                                 password_hash=password_hash)
            session.add(staff[email])
        rooms = [Room(name="Room 1"), Room(name="Room 2")]
        session.add_all(rooms)
        session.flush()
        rng = random.Random(7)  # noqa: S311  (demo data, not secrets)
        for reference, email, locale, answers in DEMO_CLIENTS:
            client = Client(reference=reference, therapist_id=staff[email].id, locale=locale)
            session.add(client)
            session.flush()
            if answers:
                _history(session, client, rooms, answers, rng, weeks=5)
            _upcoming(client, rooms, int(reference[-1]))
    return True


def _upcoming(client: Client, rooms: list[Room], n: int) -> None:
    """Give a client an appointment today (for the Today page) and one next week, made the
    way the front desk makes them."""
    start, _end = appointments.day_bounds(utcnow(), appointments.practice_zone())
    today = start + timedelta(hours=8 + n)  # from 09:00, one an hour, on the practice's clock
    room_id = rooms[n % len(rooms)].id
    for when in (today, today + timedelta(weeks=1)):
        appointments.add(client.id, when, room_id=room_id,
                         kind=AppointmentKind.VIDEO if n == 4 else AppointmentKind.IN_PERSON)


def _history(session, client: Client, rooms: list[Room], intake: dict, rng, weeks: int) -> None:
    """Give a client an intake and a few weeks of appointments with check-ins."""
    start = utcnow() - timedelta(weeks=weeks)
    locale = client.locale
    _consented(session, client, start - timedelta(minutes=5))
    _respond(session, client, "intake", {**intake, **INTAKES[locale]}, locale, start)
    trend = -1 if client.reference == "C-1003" else rng.choice((0, 0, 1))
    for week in range(weeks):
        when = start + timedelta(weeks=week, days=1)
        room = rooms[week % len(rooms)]
        appointment = appointments.add(client.id, when, room_id=room.id,
                                       state=AppointmentState.ATTENDED).appointment
        # Mostly good appointments; one client's ratings slide, to show what an alert is.
        base = max(0, min(10, 8 + trend * week + rng.randint(-1, 1)))
        _respond(session, client, "pre_session", {
            "feeling_today": max(0, min(10, base - 1)),
            "talk_about": NOTES[locale] if week == weeks - 1 else None,
        }, locale, when - timedelta(minutes=10), appointment.id)
        _respond(session, client, "post_session", {
            "listened": base, "ideas_respected": max(0, base - rng.randint(0, 2)),
            "judged": "a_little" if base < 4 else "no", "worked_on_what_matters": base,
            "room_problems": ["too_cold"] if room.name == "Room 2" else ["nothing"],
            "note": NOTES[locale] if week == weeks - 2 else None,
        }, locale, when + timedelta(hours=1), appointment.id)


def _consented(session, client: Client, when: datetime) -> None:
    """The client read the consent page and chose to go on (C-1005, new, has not yet)."""
    session.add(Consent(client_id=client.id, choice=ConsentChoice.ACCEPTED,
                        text_version=consent.TEXT_VERSION, locale=client.locale, at=when))


def _respond(session, client, key, values, locale, when: datetime, appointment_id=None) -> None:
    record_response(client.id, key, values, locale, when, appointment_id)


def _unused_code() -> str:
    # Demo check-ins are finished; their codes only need to be unique.
    return secrets.token_hex(8)


def bulk_clients(count: int, appointments: int) -> list[str]:
    """Add `count` clients with `appointments` past appointments and feedback each, quickly;
    return their references."""
    now = utcnow()
    with write_transaction() as session:
        therapists = list(session.scalars(select(Staff.id).where(Staff.role == Role.THERAPIST)))
        rooms = list(session.scalars(select(Room.id)))
        offset = session.scalar(select(func.count(Client.id))) or 0
        rng = random.Random(offset)  # noqa: S311  (demo data, not secrets)
        post = REGISTRY["post_session"]
        references = []
        for n in range(count):
            client = Client(reference=f"B-{offset + n + 1:06d}", locale=rng.choice(
                ["en", "es", "ar", "zh_Hans"]), therapist_id=therapists[n % len(therapists)])
            session.add(client)
            session.flush()
            _consented(session, client, now - timedelta(weeks=appointments + 1, minutes=5))
            _respond(session, client, "intake", INTAKES[client.locale] | {"whose_idea": "self"},
                     client.locale, now - timedelta(weeks=appointments + 1))
            for i in range(appointments):
                when = now - timedelta(weeks=appointments - i)
                # Benchmark data in bulk: rows written directly, as add() would write them
                # (without its per-appointment conflict check and audit event).
                appointment_id = session.execute(insert(Appointment).returning(Appointment.id), {
                    "client_id": client.id, "therapist_id": client.therapist_id,
                    "room_id": rooms[i % len(rooms)] if rooms else None, "starts_at": when,
                    "minutes": 50, "kind": AppointmentKind.IN_PERSON,
                    "state": AppointmentState.ATTENDED, "created_at": when, "updated_at": when,
                }).scalar_one()
                check_in_id = session.execute(insert(CheckIn).returning(CheckIn.id), {
                    "client_id": client.id, "questionnaire": "post_session",
                    "code": _unused_code(), "link_nonce": secrets.token_urlsafe(32),
                    "appointment_id": appointment_id, "created_at": when,
                    "expires_at": when + timedelta(days=1), "started_at": when,
                    "finished_at": when,
                }).scalar_one()
                response_id = session.execute(insert(Response).returning(Response.id), {
                    "check_in_id": check_in_id, "client_id": client.id,
                    "questionnaire": "post_session", "version": post.version,
                    "locale": client.locale, "created_at": when, "updated_at": when,
                    "submitted_at": when, "step": 0,
                }).scalar_one()
                score = rng.randint(3, 10)
                write_response(session.connection(), response_id, post, {
                    "listened": score, "ideas_respected": score,
                    "worked_on_what_matters": score, "judged": "no",
                }, client.locale)
            raise_alerts(session.connection(), client.id, now)
            references.append(client.reference)
    return references
