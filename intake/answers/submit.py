"""Saving one step of a check-in: the one operation a client's answers go through.

`submit_step` owns the whole of it, in one write transaction: it reads the draft the
device's claim still holds (locked), decides which step comes next, replaces the step's
answers, submits the response after its last step, and stores the alerts the
submission raises. The view only checks the form and redirects on the outcome.

Saving replaces a step's answers, so a repeated request (a double tap, a retry) leaves
exactly the same rows as a single one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Connection, bindparam, delete, insert, update

from ..infra.database import (
    commit_without_waiting_for_disk,
    run,
    write_connection,
    write_transaction,
)
from ..models import Answer, CheckIn, Response, utcnow
from ..practice import surveys
from ..practice.checkins import Claim, finished_with
from ..questionnaires import REGISTRY, Questionnaire, Value
from ..questionnaires.flow import step_index, visible_questions
from .alerts import raise_alerts
from .drafts import open_draft
from .stored import rows_for

GOING = ("next", "back", "leave")  # Continue or Finish; Back; the idle time-out


class Result(StrEnum):
    SAVED = "saved"
    SUBMITTED = "submitted"
    ENDED = "ended"  # the claim no longer holds: finished, expired, cancelled or taken over
    NOT_SHOWN = "not_shown"  # the step is not one this client sees now


@dataclass(frozen=True)
class Outcome:
    """What became of a step, and where the client goes next."""

    result: Result
    next_step: str | None = None  # after SAVED: the step to show
    questionnaire: str | None = None
    client_id: int | None = None
    check_in_id: int | None = None
    offer_survey: bool = False  # after SUBMITTED: a periodic survey is due; offer it


_DELETE_ANSWERS = delete(Answer).where(
    Answer.response_id == bindparam("response_id"), Answer.question == bindparam("key"))
_ANSWER_COLUMNS = ("response_id", "question", "position", "code", "number", "text",
                   "text_locale", "sealed_with")
_INSERT_ANSWER = insert(Answer).values({name: bindparam(name) for name in _ANSWER_COLUMNS})
_UPDATE_RESPONSE = (
    update(Response)
    .where(Response.id == bindparam("response_id"))
    .values(locale=bindparam("locale"), step=bindparam("step"), version=bindparam("version"),
            updated_at=bindparam("now", type_=Response.updated_at.type),
            submitted_at=bindparam("submitted_at", type_=Response.submitted_at.type))
)
_FINISH = (
    update(CheckIn)
    .where(CheckIn.id == bindparam("check_in_id"), CheckIn.finished_at.is_(None))
    .values(finished_at=bindparam("now", type_=CheckIn.finished_at.type))
)


def submit_step(claim: Claim, step_key: str, values: dict[str, Value], locale: str,
                going: str = "next") -> Outcome:
    """Save the answers of one step and move on; after the last step, submit.

    `values` are the step's checked answers by question key (questions the client does
    not see are ignored). `going` is "next", "back" or "leave".
    """
    now = utcnow()
    with write_connection() as connection:
        draft = open_draft(claim, writing=connection)
        if draft is None:
            return ended(claim)
        steps = draft.steps()
        index = step_index(steps, step_key)
        if index is None:
            return Outcome(Result.NOT_SHOWN)
        step = steps[index]
        questions = visible_questions(step, draft.goals)
        shown = {question.key: values.get(question.key) for question in questions}
        after = draft.steps({**draft.answers, **shown})
        position = step_index(after, step.key) or 0
        # Back goes one step back; leaving (the idle time-out) resumes on this same step.
        target = max({"back": position - 1, "leave": position}.get(going, position + 1), 0)
        submitting = going == "next" and target >= len(after)
        rows = [row for question in questions
                for row in rows_for(question, shown[question.key], locale, draft.response_id)]
        run(connection, _DELETE_ANSWERS,
            [{"response_id": draft.response_id, "key": question.key} for question in questions])
        run(connection, _INSERT_ANSWER, rows)
        run(connection, _UPDATE_RESPONSE, {
            "response_id": draft.response_id, "locale": locale, "step": target, "now": now,
            "version": draft.questionnaire.version,
            "submitted_at": now if submitting else None})
        if submitting:
            run(connection, _FINISH, {"check_in_id": draft.check_in_id, "now": now})
            # In the same transaction: a submission is never without its alerts.
            raise_alerts(connection, draft.client_id, now)
        else:
            commit_without_waiting_for_disk(connection)  # a draft: typed again if ever lost
    if not submitting:
        return Outcome(Result.SAVED, next_step=after[min(target, len(after) - 1)].key,
                       questionnaire=draft.questionnaire.key, client_id=draft.client_id,
                       check_in_id=draft.check_in_id)
    return _submitted(draft.questionnaire.key, draft.client_id, draft.check_in_id)


def ended(claim: Claim) -> Outcome:
    """Return how a visit whose draft is gone ended: submitted by this claim, or not."""
    finished = finished_with(claim)
    if finished is None:
        return Outcome(Result.ENDED)
    return _submitted(finished[0], finished[1], claim.check_in_id)


def _submitted(questionnaire: str, client_id: int, check_in_id: int) -> Outcome:
    offer = REGISTRY[questionnaire].offers_survey and surveys.is_due(client_id, utcnow())
    return Outcome(Result.SUBMITTED, questionnaire=questionnaire, client_id=client_id,
                   check_in_id=check_in_id, offer_survey=offer)


def record_response(client_id: int, questionnaire: str, values: dict[str, Value],
                    locale: str, at: datetime, appointment_id: int | None = None) -> int:
    """Store a whole response submitted at `at`, with its finished check-in, and its alerts.

    For responses made outside a visit (the demo practice, the tests' factories): the same
    rows and alerts as a visit's steps make. Joins a write transaction already open.
    """
    declared = REGISTRY[questionnaire]
    with write_transaction() as session:
        check_in = CheckIn(client_id=client_id, questionnaire=questionnaire,
                           code=secrets.token_hex(8), link_nonce=secrets.token_urlsafe(32),
                           appointment_id=appointment_id, created_at=at, started_at=at,
                           finished_at=at, expires_at=at + timedelta(days=1))
        session.add(check_in)
        session.flush()
        response = Response(check_in_id=check_in.id, client_id=client_id,
                            questionnaire=questionnaire, version=declared.version,
                            locale=locale, created_at=at, updated_at=at, submitted_at=at)
        session.add(response)
        session.flush()
        write_response(session.connection(), response.id, declared, values, locale)
        raise_alerts(session.connection(), client_id, utcnow())
        return response.id


def write_response(connection: Connection, response_id: int, questionnaire: Questionnaire,
                   values: dict[str, Value], locale: str) -> None:
    """Write every answer of a whole response at once: the rows its steps would have made."""
    run(connection, _INSERT_ANSWER, [
        row for question in questionnaire.questions()
        for row in rows_for(question, values.get(question.key), locale, response_id)])
