"""Room feedback for the practice: what clients said about each room, per calendar month.

Post-session feedback and the periodic survey both ask "was anything in the room
uncomfortable?". This module reads those answers in one query (`room_feedback`) and
aggregates them with a pure function (`aggregate`) that needs no database.

How the figures are made:

- **Clients, not answers.** Each figure is a number of distinct clients in one room and one
  month: a client who answered three times counts once in the total and once per problem.
- **Which room.** A post-session answer belongs to the room of its appointment. A periodic
  survey has no appointment of its own, so it belongs to the room of the client's latest
  appointment that started on or before the survey was submitted. When there is no such
  appointment, or it has no room, the answer is left out: we do not guess.
- **Which month.** The calendar month, in UTC, in which the client submitted the answer.
- **Who responded.** Any client who answered the room question, whatever they picked:
  "nothing, the room was fine" and "I'd rather not say" count as responding but not as a
  problem. A client who skipped the question did not respond. Shares are of responding
  clients, so a share is a floor: someone who would rather not say may still have a problem.
- **Privacy (k-anonymity).** A room and month with fewer than MIN_CLIENTS responding clients
  carries no figures at all, neither its total nor any problem, and none responding is hidden
  the same way as one to four, so the page never tells "nobody" from "a few". Where a room
  and month reaches MIN_CLIENTS, every problem count is shown, ones included: a count among
  five or more clients does not say which of them it was. Problems that occur only in hidden
  months are not named either. There are deliberately no totals across months or rooms: a
  total minus the months shown would give away a hidden month. Calendar months keep every
  cell the same whatever number of months is asked for, so changing the filter cannot be used
  to subtract one view from another.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple

from sqlalchemy import String, and_, cast, null, select, union_all

from ..extensions import db
from ..models import Answer, Appointment, AppointmentState, CheckIn, Response
from ..models import Room as RoomRow
from ..questionnaires import Choice, Room, where

MIN_CLIENTS = 5
DEFAULT_MONTHS = 12
MONTH_CHOICES = (3, 6, 12, 24)

POST_SESSION = "post_session"
PERIODIC = "periodic"
# The questions declared as asking what was uncomfortable in the room, by questionnaire.
ASKED = {questionnaire.key: question for questionnaire, question in where(room=Room.PROBLEMS)}
if {POST_SESSION, PERIODIC} - ASKED.keys():
    raise LookupError("post_session and periodic must ask about room problems")
if len({tuple(c.code for c in q.all_choices) for q in ASKED.values()}) != 1:
    raise LookupError("every room problems question must offer the same choices")
# The problems, in the order the questionnaire offers them: not "nothing" (exclusive) and
# not "I'd rather not say" (exclusive too), which count as responding but not as a problem.
PROBLEM_CHOICES: tuple[Choice, ...] = tuple(
    choice for choice in ASKED[POST_SESSION].all_choices if not choice.exclusive
)
PROBLEM_CODES = tuple(choice.code for choice in PROBLEM_CHOICES)


class AnswerRow(NamedTuple):
    """One chosen code of a submitted room question."""

    client_id: int
    submitted_at: datetime
    questionnaire: str
    room_id: int | None  # the room of the check-in's appointment, if it has one
    code: str


class AppointmentRow(NamedTuple):
    """One appointment of a client who answered a periodic survey."""

    client_id: int
    starts_at: datetime
    room_id: int | None


class RoomRef(NamedTuple):
    id: int
    name: str


@dataclass(frozen=True)
class Cell:
    """One room in one month: no figures at all below MIN_CLIENTS responding clients."""

    month: date  # the first day of the month
    clients: int | None = None  # responding clients; None when hidden
    problems: dict[str, int] = field(default_factory=dict)  # code -> clients, when shown

    @property
    def is_shown(self) -> bool:
        return self.clients is not None

    def share(self, code: str) -> float | None:
        """Return the percentage of responding clients who reported this problem, or None."""
        if self.clients is None:
            return None
        return 100 * self.problems.get(code, 0) / self.clients


@dataclass(frozen=True)
class RoomFeedback:
    room_id: int
    name: str
    cells: tuple[Cell, ...]  # one per month, oldest first

    @property
    def has_figures(self) -> bool:
        return any(cell.is_shown for cell in self.cells)

    @property
    def problem_codes(self) -> tuple[str, ...]:
        """Return the problems reported in the months shown, in declaration order."""
        found = {code for cell in self.cells for code, count in cell.problems.items() if count}
        return tuple(code for code in PROBLEM_CODES if code in found)


@dataclass(frozen=True)
class Report:
    months: tuple[date, ...]  # oldest first
    rooms: list[RoomFeedback]


def month_of(moment: datetime) -> date:
    """Return the first day of the UTC calendar month of an aware datetime."""
    moment = moment.astimezone(UTC)
    return date(moment.year, moment.month, 1)


def last_months(now: datetime, count: int) -> tuple[date, ...]:
    """Return the first days of the last `count` calendar months, this one included, oldest
    first."""
    current = month_of(now)
    index = current.year * 12 + current.month - 1
    return tuple(date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1))


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def attribute(
    answers: Iterable[AnswerRow], appointments: Iterable[AppointmentRow]
) -> Iterator[tuple[int, int, date, str]]:
    """Yield (room id, client id, month, code) for each answer that has a room.

    Sorting each client's appointments once and bisecting keeps this O(n log n).
    """
    by_client: dict[int, list[AppointmentRow]] = defaultdict(list)
    for appointment in appointments:
        by_client[appointment.client_id].append(appointment)
    starts: dict[int, list[datetime]] = {}
    for client_id, rows in by_client.items():
        rows.sort(key=lambda row: row.starts_at)
        starts[client_id] = [row.starts_at for row in rows]
    for answer in answers:
        if answer.questionnaire == PERIODIC:
            before = bisect_right(starts.get(answer.client_id, []), answer.submitted_at)
            room_id = by_client[answer.client_id][before - 1].room_id if before else None
        else:
            room_id = answer.room_id
        if room_id is not None:
            yield room_id, answer.client_id, month_of(answer.submitted_at), answer.code


def aggregate(
    answers: Iterable[AnswerRow],
    appointments: Iterable[AppointmentRow],
    rooms: Sequence[RoomRef],
    months: Sequence[date],
) -> list[RoomFeedback]:
    """Count distinct clients per room and month, hiding every cell below MIN_CLIENTS."""
    wanted = set(months)
    responding: dict[tuple[int, date], set[int]] = defaultdict(set)
    reporting: dict[tuple[int, date, str], set[int]] = defaultdict(set)
    for room_id, client_id, month, code in attribute(answers, appointments):
        if month not in wanted:
            continue
        responding[room_id, month].add(client_id)
        if code in PROBLEM_CODES:
            reporting[room_id, month, code].add(client_id)

    def cell(room_id: int, month: date) -> Cell:
        clients = len(responding.get((room_id, month), ()))
        if clients < MIN_CLIENTS:
            return Cell(month)
        counts = {code: len(reporting.get((room_id, month, code), ())) for code in PROBLEM_CODES}
        return Cell(month, clients, {code: n for code, n in counts.items() if n})

    return [RoomFeedback(room.id, room.name, tuple(cell(room.id, m) for m in months))
            for room in rooms]


def _rows(start: datetime, end: datetime) -> tuple[list[AnswerRow], list[AppointmentRow]]:
    """Fetch the room answers submitted in [start, end), and the appointments that place the
    periodic ones, in one query (a UNION ALL: answer rows have a questionnaire, appointment
    rows do not)."""
    in_window = and_(Response.submitted_at >= start, Response.submitted_at < end)
    answers = (
        select(Response.client_id, Response.submitted_at, Response.questionnaire,
               Appointment.room_id, Answer.code)
        .join(Answer, and_(Answer.response_id == Response.id,
                           Answer.question.in_({q.key for q in ASKED.values()})))
        .join(CheckIn, CheckIn.id == Response.check_in_id)
        .outerjoin(Appointment, Appointment.id == CheckIn.appointment_id)
        .where(Response.questionnaire.in_(ASKED), in_window,
               Answer.code.is_not(None))
    )
    surveyed = select(Response.client_id).where(Response.questionnaire == PERIODIC, in_window)
    appointments = select(
        Appointment.client_id, Appointment.starts_at, cast(null(), String(32)),
        Appointment.room_id, cast(null(), String(64)),
    ).where(Appointment.client_id.in_(surveyed), Appointment.starts_at < end,
            # Where the client was: not an appointment that was cancelled or missed.
            Appointment.state.not_in((AppointmentState.CANCELLED, AppointmentState.NO_SHOW)))
    answer_rows: list[AnswerRow] = []
    appointment_rows: list[AppointmentRow] = []
    for client_id, at, questionnaire, room_id, code in db.session.execute(
        union_all(answers, appointments)
    ):
        if questionnaire is None:
            appointment_rows.append(AppointmentRow(client_id, at, room_id))
        else:
            answer_rows.append(AnswerRow(client_id, at, questionnaire, room_id, code))
    return answer_rows, appointment_rows


def room_feedback(now: datetime, months: int = DEFAULT_MONTHS) -> Report:
    """Return the feedback for every room over the last `months` calendar months."""
    shown = last_months(now, months)
    rooms = [RoomRef(*row) for row in db.session.execute(
        select(RoomRow.id, RoomRow.name).order_by(RoomRow.name, RoomRow.id))]
    answers, appointments = _rows(_midnight(shown[0]), _midnight(_next_month(shown[-1])))
    return Report(shown, aggregate(answers, appointments, rooms, shown))
