"""Responses: saving a step of answers as a draft, submitting, and reading answers back.

Answers are stored as codes and numbers, free text as written. Saving a step
replaces that step's answers, so a repeated request (a double tap, a retry)
leaves exactly the same rows as a single one.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .checkins import Claim
from .database import write_transaction
from .extensions import db
from .models import Answer, CheckIn, Response, utcnow
from .questionnaires import RATHER_NOT_SAY, Kind, Question

Value = str | int | list[str] | None


class SaveResult(StrEnum):
    SAVED = "saved"
    SUBMITTED = "submitted"
    LOST = "lost"  # the claim no longer holds: finished, cancelled, expired or taken over


def to_rows(question: Question, value: Value, locale: str) -> list[Answer]:
    """Turn one question's value into answer rows (none when it was skipped)."""
    if value is None or value == "" or value == []:
        return []
    if question.kind is Kind.MULTIPLE:
        return [
            Answer(question=question.key, position=i, code=code) for i, code in enumerate(value)
        ]
    if question.kind is Kind.SCALE and isinstance(value, int):
        return [Answer(question=question.key, number=value)]
    if question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        return [Answer(question=question.key, text=value, text_locale=locale)]
    return [Answer(question=question.key, code=str(value))]


def from_rows(rows: Iterable[Answer], kinds: dict[str, Kind]) -> dict[str, Value]:
    """Turn answer rows back into values by question key."""
    values: dict[str, Value] = {}
    for row in sorted(rows, key=lambda r: (r.question, r.position)):
        kind = kinds.get(row.question)
        if kind is Kind.MULTIPLE:
            values.setdefault(row.question, []).append(row.code)
        elif row.number is not None:
            values[row.question] = row.number
        elif row.text is not None:
            values[row.question] = row.text
        else:
            values[row.question] = row.code
    return values


def draft_for(check_in_id: int) -> Response | None:
    """Return the response of a check-in."""
    return db.session.scalar(select(Response).where(Response.check_in_id == check_in_id))


def save_step(
    claim: Claim,
    questions: Iterable[Question],
    values: dict[str, Value],
    locale: str,
    next_step: int,
    submit: bool = False,
) -> SaveResult:
    """Save one step's answers to the draft; with submit, also finish the check-in."""
    questions = list(questions)
    for attempt in (1, 2):
        try:
            return _save(claim, questions, values, locale, next_step, submit)
        except IntegrityError:
            # Two identical requests raced on a database without BEGIN IMMEDIATE:
            # the other one wrote the same rows. Try once more.
            db.session.rollback()
            if attempt == 2:
                raise
    return SaveResult.LOST


class _RaceLost(Exception):
    """Another request finished the check-in first: roll this one back."""


def _save(claim, questions, values, locale, next_step, submit) -> SaveResult:
    try:
        return _save_once(claim, questions, values, locale, next_step, submit)
    except _RaceLost:
        return SaveResult.LOST


def _save_once(claim, questions, values, locale, next_step, submit) -> SaveResult:
    now = utcnow()
    with write_transaction() as session:
        check_in = session.scalar(
            select(CheckIn).where(
                CheckIn.id == claim.check_in_id,
                CheckIn.claim == claim.claim,
                CheckIn.finished_at.is_(None),
                CheckIn.cancelled_at.is_(None),
                CheckIn.expires_at > now,
            )
        )
        response = check_in and session.scalar(
            select(Response).where(
                Response.check_in_id == check_in.id, Response.submitted_at.is_(None)
            )
        )
        if response is None:
            return _already(session, claim)
        keys = [question.key for question in questions]
        session.execute(
            delete(Answer).where(Answer.response_id == response.id, Answer.question.in_(keys))
        )
        for question in questions:
            for row in to_rows(question, values.get(question.key), locale):
                row.response_id = response.id
                session.add(row)
        response.locale = locale
        response.step = next_step
        response.updated_at = now
        if not submit:
            return SaveResult.SAVED
        response.submitted_at = now
        finished = session.execute(
            update(CheckIn)
            .where(CheckIn.id == check_in.id, CheckIn.finished_at.is_(None))
            .values(finished_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if finished != 1:
            raise _RaceLost
    return SaveResult.SUBMITTED


def _already(session, claim: Claim) -> SaveResult:
    """Tell a repeated Finish (a double tap) from a claim that was lost."""
    finished = session.scalar(
        select(CheckIn.id).where(
            CheckIn.id == claim.check_in_id,
            CheckIn.claim == claim.claim,
            CheckIn.finished_at.is_not(None),
        )
    )
    return SaveResult.SUBMITTED if finished else SaveResult.LOST


def is_rather_not_say(value: Value) -> bool:
    return value == RATHER_NOT_SAY or value == [RATHER_NOT_SAY]


def goals_of(client_id: int) -> dict[int, str]:
    """Return the client's goals in their own words, from their latest intake."""
    latest = (
        select(Response.id)
        .where(
            Response.client_id == client_id,
            Response.questionnaire == "intake",
            Response.submitted_at.is_not(None),
        )
        .order_by(Response.submitted_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Answer.question, Answer.text).where(
            Answer.response_id == latest, Answer.question.in_(["goal_1", "goal_2", "goal_3"])
        )
    )
    return {int(question[-1]): text for question, text in rows if text}
