"""Drafts: the check-in a device is filling, read with its answers in one statement.

A draft is readable only through a claim that still holds (infra: the latest device to
redeem the code or link). Reading it never takes the write lock; `submit.py` reads it
again, locked, in the transaction that saves a step.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select

from ..extensions import db
from ..infra.database import read_once, run
from ..models import Answer, CheckIn, Response, utcnow
from ..practice.checkins import Claim
from ..questionnaires import REGISTRY, Questionnaire, Step, Value, goal_statements
from ..questionnaires.flow import visible_steps
from .stored import COLUMNS, read_answers, values_of


@dataclass(frozen=True)
class Draft:
    """An open check-in's draft, with the steps its client sees."""

    check_in_id: int
    response_id: int
    client_id: int
    questionnaire: Questionnaire
    code: str
    step: int  # the index of the next step to show
    answers: dict[str, Value]
    goals: dict[int, str]  # the client's goals in their words, when a question rates one

    def steps(self, answers: dict[str, Value] | None = None) -> list[Step]:
        """Return the steps to show, given these answers (the draft's own by default)."""
        return visible_steps(self.questionnaire,
                             self.answers if answers is None else answers, self.goals)


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
    select(Response.id, CheckIn.client_id, CheckIn.questionnaire, CheckIn.code, Response.step,
           *COLUMNS)
    .join(Response, Response.check_in_id == CheckIn.id)
    .outerjoin(Answer, Answer.response_id == Response.id)
)
_OPEN_DRAFT_FOR_UPDATE = _OPEN_DRAFT.with_for_update(of=Response)
_HEAD = 5  # the columns before the answer's


def open_draft(claim: Claim, writing: Connection | None = None) -> Draft | None:
    """Return the draft this claim may still fill, with its answers, in one query.

    With a connection in a write transaction (`writing`), the draft is locked for it: a
    second identical request waits for this one on databases without BEGIN IMMEDIATE,
    so a double tap never writes twice.
    """
    params = {"check_in_id": claim.check_in_id, "claim": claim.claim, "now": utcnow()}
    if writing is not None:
        rows = run(writing, _OPEN_DRAFT_FOR_UPDATE, params)
    else:
        rows = read_once(_OPEN_DRAFT, params)
    if not rows:
        return None
    response_id, client_id, key, code, step = rows[0][:_HEAD]
    questionnaire = REGISTRY[key]
    rates_goals = any(question.goal for question in questionnaire.questions())
    return Draft(claim.check_in_id, response_id, client_id, questionnaire, code, step,
                 values_of(key, read_answers(rows, start=_HEAD)),
                 goals_of(client_id, writing) if rates_goals else {})


def goals_of(client_id: int, executor=None) -> dict[int, str]:
    """Return the client's goals in their own words, by number, from their latest intake.

    Read on `executor` (a connection in a write transaction) when given, else the session.
    """
    stating, questions = goal_statements()
    latest = (
        select(Response.id)
        .where(Response.client_id == client_id, Response.questionnaire == stating.key,
               Response.submitted_at.is_not(None))
        .order_by(Response.submitted_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    numbers = {question.key: question.states_goal for question in questions}
    rows = (executor or db.session).execute(
        select(*COLUMNS).where(Answer.response_id == latest, Answer.question.in_(numbers)))
    return {numbers[answer.question]: answer.text for answer in read_answers(rows)
            if answer.text}
