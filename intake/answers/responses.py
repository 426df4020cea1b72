"""Responses: saving a step of answers as a draft, submitting, and reading answers back.

Answers are stored as codes and numbers, free text as written. Saving a step
replaces that step's answers, so a repeated request (a double tap, a retry)
leaves exactly the same rows as a single one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from ..extensions import db
from ..infra.database import read_once, run
from ..infra.sealing import open_answer, seal_answer
from ..models import Answer, CheckIn, Response, utcnow
from ..practice.checkins import Claim
from ..questionnaires import REGISTRY, Kind, Question

Value = str | int | list[str] | None


class SaveResult(StrEnum):
    SAVED = "saved"
    SUBMITTED = "submitted"


def answer_values(question: Question, value: Value, locale: str, response_id: int) -> list[dict]:
    """Turn one question's value into the columns of its answer rows (none if skipped).

    Free text is sealed for its row here, the one place answer rows are made.
    """
    if value is None or value == "" or value == []:
        return []
    row = {"response_id": response_id, "question": question.key, "position": 0, "code": None,
           "number": None, "text": None, "text_locale": None, "sealed_with": None}
    if question.kind is Kind.MULTIPLE:
        return [{**row, "position": i, "code": code} for i, code in enumerate(value)]
    if question.kind is Kind.SCALE and isinstance(value, int):
        return [{**row, "number": value}]
    if question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        sealed, key_id = seal_answer(str(value), response_id, question.key, 0)
        return [{**row, "text": sealed, "sealed_with": key_id, "text_locale": locale}]
    return [{**row, "code": str(value)}]


def to_rows(question: Question, value: Value, locale: str, response_id: int) -> list[Answer]:
    """Turn one question's value into answer rows of a stored response (none if skipped)."""
    return [Answer(**values) for values in answer_values(question, value, locale, response_id)]


def opened(rows: Iterable[tuple], with_response_id: bool = False) -> Iterator[tuple]:
    """Turn stored rows of (response id, question, position, code, number, text, key id)
    into from_rows' tuples, each text opened (led by the response id if asked)."""
    for response_id, question, position, code, number, text, sealed_with in rows:
        row = (question, position, code, number,
               open_answer(text, sealed_with, response_id, question, position))
        yield (response_id, *row) if with_response_id else row


def from_rows(rows: Iterable, kinds: dict[str, Kind]) -> dict[str, Value]:
    """Turn answer rows (or tuples of question, position, code, number, text) into values."""
    values: dict[str, Value] = {}
    tuples = (
        row if isinstance(row, tuple)
        else (row.question, row.position, row.code, row.number, row.written())
        for row in rows
    )
    for question, _position, code, number, text in sorted(tuples, key=lambda r: r[:2]):
        if kinds.get(question) is Kind.MULTIPLE:
            values.setdefault(question, []).append(code)
        elif number is not None:
            values[question] = number
        elif text is not None:
            values[question] = text
        else:
            values[question] = code
    return values


@dataclass(frozen=True)
class Draft:
    """An open check-in's draft, as the client pages need it."""

    check_in_id: int
    response_id: int
    client_id: int
    questionnaire: str
    code: str
    step: int
    answers: dict[str, Value]


def _claimed(statement):
    """Restrict a statement to the open check-in that a claim still holds."""
    return statement.where(
        CheckIn.id == bindparam("check_in_id"),
        CheckIn.claim == bindparam("claim"),
        CheckIn.finished_at.is_(None),
        CheckIn.cancelled_at.is_(None),
        CheckIn.expires_at > bindparam("now", type_=CheckIn.expires_at.type),
        Response.submitted_at.is_(None),
    )


# Built once: these run on every client page and every saved step.
_OPEN_DRAFT = _claimed(
    select(
        Response.id, CheckIn.client_id, CheckIn.questionnaire, CheckIn.code, Response.step,
        Answer.question, Answer.position, Answer.code, Answer.number, Answer.text,
        Answer.sealed_with,
    )
    .join(Response, Response.check_in_id == CheckIn.id)
    .outerjoin(Answer, Answer.response_id == Response.id)
)
_DELETE_ANSWERS = delete(Answer).where(
    Answer.response_id == bindparam("response_id"), Answer.question == bindparam("key"))
_ANSWER_COLUMNS = ("response_id", "question", "position", "code", "number", "text",
                   "text_locale", "sealed_with")
_INSERT_ANSWER = insert(Answer).values({name: bindparam(name) for name in _ANSWER_COLUMNS})
_UPDATE_RESPONSE = (
    update(Response)
    .where(Response.id == bindparam("response_id"))
    .values(locale=bindparam("locale"), step=bindparam("step"),
            updated_at=bindparam("now", type_=Response.updated_at.type),
            submitted_at=bindparam("submitted_at", type_=Response.submitted_at.type))
)
_FINISH = (
    update(CheckIn)
    .where(CheckIn.id == bindparam("check_in_id"), CheckIn.finished_at.is_(None))
    .values(finished_at=bindparam("now", type_=CheckIn.finished_at.type))
)


def _claim_params(claim: Claim, now) -> dict:
    return {"check_in_id": claim.check_in_id, "claim": claim.claim, "now": now}


_OPEN_DRAFT_FOR_UPDATE = _OPEN_DRAFT.with_for_update(of=Response)


def open_draft(claim: Claim, writing: Connection | None = None) -> Draft | None:
    """Return the draft this claim may still fill, with its answers, in one query.

    With a connection in a write transaction (`writing`), the draft is locked for it: a
    second identical request waits for this one on databases without BEGIN IMMEDIATE,
    so a double tap never writes twice.
    """
    params = _claim_params(claim, utcnow())
    if writing is not None:
        rows = run(writing, _OPEN_DRAFT_FOR_UPDATE, params)
    else:
        rows = read_once(_OPEN_DRAFT, params)
    if not rows:
        return None
    response_id, client_id, questionnaire, code, step = rows[0][:5]
    kinds = {q.key: q.kind for q in REGISTRY[questionnaire].questions()}
    answers = from_rows(opened((response_id, *r[5:]) for r in rows if r[5] is not None), kinds)
    return Draft(claim.check_in_id, response_id, client_id, questionnaire, code, step, answers)


def save_step(
    connection: Connection,
    draft: Draft,
    questions: Iterable[Question],
    values: dict[str, Value],
    locale: str,
    next_step: int,
    submit: bool = False,
) -> SaveResult:
    """Save one step's answers to a draft; with submit, also finish the check-in.

    Call it in the write transaction that read the draft with open_draft(writing=...),
    so that the claim still holds.
    """
    now = utcnow()
    keys = [question.key for question in questions]
    rows = [
        row
        for question in questions
        for row in answer_values(question, values.get(question.key), locale, draft.response_id)
    ]
    run(connection, _DELETE_ANSWERS,
        [{"response_id": draft.response_id, "key": key} for key in keys])
    if rows:
        run(connection, _INSERT_ANSWER, rows)
    run(connection, _UPDATE_RESPONSE, {
        "response_id": draft.response_id, "locale": locale, "step": next_step, "now": now,
        "submitted_at": now if submit else None})
    if submit:
        run(connection, _FINISH, {"check_in_id": draft.check_in_id, "now": now})
    return SaveResult.SUBMITTED if submit else SaveResult.SAVED


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
        select(Answer.response_id, Answer.question, Answer.position, Answer.code, Answer.number,
               Answer.text, Answer.sealed_with).where(
            Answer.response_id == latest, Answer.question.in_(["goal_1", "goal_2", "goal_3"])
        )
    )
    return {int(question[-1]): text for question, _, _, _, text in opened(rows) if text}
