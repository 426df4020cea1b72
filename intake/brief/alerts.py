"""Alerts: what in the client's feedback asks for attention, each with why and what to ask.

Keys are stable and name one occurrence ("judged:42"), so acknowledging it never hides a later one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from intake.questionnaires import Room, where

from . import text
from .declared import codes, only_exclusive, question, scales
from .model import Alert, AlertKind, History, Pair, Record, Thresholds
from .values import chosen, number

JUDGED = question("post_session", "judged")
LISTENED = question("post_session", "listened")
IDEAS_RESPECTED = question("post_session", "ideas_respected")
RATINGS = scales("post_session")
# The ratings without an alert of their own are reported together as score_low.
OTHER_RATINGS = tuple(q for q in RATINGS if q.key not in {LISTENED.key, IDEAS_RESPECTED.key})
# Each questionnaire that asks what was uncomfortable in the room, and its question.
ROOM_PROBLEMS = {qn.key: q for qn, q in where(room=Room.PROBLEMS)}
STOPPING = question("periodic", "thinking_of_stopping")
PREFER_DIFFERENT = question("periodic", "prefer_different_therapist")

JUDGED_WHY = {
    **dict.fromkeys(codes(JUDGED, "yes"), text.WHY_JUDGED),
    **dict.fromkeys(codes(JUDGED, "a_little"), text.WHY_JUDGED_A_LITTLE),
}
STOPPING_WHY = {
    **dict.fromkeys(codes(STOPPING, "yes"), text.WHY_STOPPING),
    **dict.fromkeys(codes(STOPPING, "not_sure"), text.WHY_STOPPING_NOT_SURE),
}
PREFER_WHY = {
    **dict.fromkeys(codes(PREFER_DIFFERENT, "yes"), text.WHY_DIFFERENT_THERAPIST),
    **dict.fromkeys(codes(PREFER_DIFFERENT, "not_sure"), text.WHY_DIFFERENT_THERAPIST_NOT_SURE),
}

QUESTIONS: dict[AlertKind, tuple[str, ...]] = {
    AlertKind.JUDGED: (text.ASK_FELT_JUDGED, text.ASK_ACCEPTED),
    AlertKind.NOT_LISTENED: (text.ASK_UNDERSTOOD_LAST_TIME, text.ASK_MISSED),
    AlertKind.IDEAS_DISMISSED: (text.ASK_IDEAS, text.ASK_BRUSHED_ASIDE),
    AlertKind.SCORE_LOW: (text.ASK_MORE_USEFUL, text.ASK_DIFFERENTLY),
    AlertKind.SCORE_DROP: (text.ASK_COMPARED, text.ASK_DIFFERENTLY),
    AlertKind.SCORE_SLIDE: (text.ASK_COMPARED, text.ASK_DIFFERENTLY),
    AlertKind.ROOM_DISCOMFORT: (text.ASK_ROOM, text.ASK_OTHER_ROOM),
    # Thank first, stay open, and make ending well or changing therapist real options.
    AlertKind.THINKING_OF_STOPPING: (
        text.THANK_STOPPING, text.ASK_WHAT_NOT_WORKING, text.OFFER_GOOD_ENDING,
    ),
    AlertKind.PREFER_DIFFERENT_THERAPIST: (
        text.THANK_DIFFERENT_THERAPIST, text.ASK_BETTER_FIT, text.OFFER_REFERRAL,
    ),
    AlertKind.SILENCE: (text.ASK_SINCE, text.ASK_WHAT_GETS_IN_THE_WAY),
}

Acknowledged = Mapping[str, tuple[str, datetime]]


def _alert(kind: AlertKind, key: str, why: str, at: datetime, acknowledged: Acknowledged,
           params: dict[str, object], record: Record | None = None,
           answers: list[Pair] | None = None) -> Alert:
    who, when = acknowledged.get(key, (None, None))
    return Alert(
        key, kind, why, params, list(QUESTIONS[kind]), at, who, when,
        record_id=record.id if record else None,
        questionnaire=record.questionnaire if record else None,
        answers=answers or [],
        version=record.version if record else 1,
    )


class Scan:
    """One pass over the records, oldest first, keeping what later records are compared with."""

    def __init__(self, thresholds: Thresholds, acknowledged: Acknowledged) -> None:
        self.thresholds = thresholds
        self.acknowledged = acknowledged
        self.previous: dict[str, int] = {}  # the last value of each rating
        self.recent: dict[str, list[int]] = {}  # the last three values of each rating
        self.room_reports = 0
        self.found: list[Alert] = []

    def add(self, kind: AlertKind, record: Record, why: str, answers: list[Pair],
               params: dict[str, object] | None = None) -> None:
        """Record an alert raised by one response."""
        self.found.append(_alert(kind, f"{kind}:{record.id}", why, record.submitted_at,
                                 self.acknowledged, params or {}, record, answers))

    def look_at(self, record: Record) -> None:
        """Look at one response."""
        if record.questionnaire == "post_session":
            self.post_session(record)
        if record.questionnaire in ROOM_PROBLEMS:
            self.room(record)
        if record.questionnaire == "periodic":
            self.periodic(record)

    def post_session(self, record: Record) -> None:
        """Felt judged, not listened to, ideas dismissed, low ratings, falling ratings."""
        answers = record.answers
        alliance, floor = self.thresholds.alliance_floor, self.thresholds.score_floor
        judged = answers.get(JUDGED.key)
        if isinstance(judged, str) and judged in JUDGED_WHY:
            self.add(AlertKind.JUDGED, record, JUDGED_WHY[judged], [(JUDGED.key, judged)])
        for kind, rating, why in (
            (AlertKind.NOT_LISTENED, LISTENED, text.WHY_NOT_LISTENED),
            (AlertKind.IDEAS_DISMISSED, IDEAS_RESPECTED, text.WHY_IDEAS_DISMISSED),
        ):
            value = number(answers.get(rating.key))
            if value is not None and value <= alliance:
                self.add(kind, record, why, [(rating.key, value)],
                            {"score": value, "high": rating.high})
        low = [(q.key, v) for q in OTHER_RATINGS
               if (v := number(answers.get(q.key))) is not None and v <= floor]
        if low:
            self.add(AlertKind.SCORE_LOW, record, text.WHY_SCORE_LOW, low)
        self.drops(record)

    def drops(self, record: Record) -> None:
        """Ratings that fell by score_drop since the last time, or slid over three times."""
        fallen: list[Pair] = []
        sliding: list[Pair] = []
        before: dict[str, int] = {}
        biggest = 0
        for rating in RATINGS:
            value = number(record.answers.get(rating.key))
            if value is None:
                continue  # skipped or "rather not say": compare the next value with the last one
            last = self.previous.get(rating.key)
            recent = self.recent.setdefault(rating.key, [])
            recent[:] = [*recent[-2:], value]
            if last is not None and last - value >= self.thresholds.score_drop:
                fallen.append((rating.key, value))
                before[rating.key] = last
                biggest = max(biggest, last - value)
            elif is_slide(recent, self.thresholds.score_slide):
                sliding.append((rating.key, value))
            self.previous[rating.key] = value
        if fallen:
            self.add(AlertKind.SCORE_DROP, record, text.WHY_SCORE_DROP, fallen,
                        {"drop": biggest, "previous": before})
        if sliding:
            self.add(AlertKind.SCORE_SLIDE, record, text.WHY_SCORE_SLIDE, sliding)

    def room(self, record: Record) -> None:
        """Something in the room was uncomfortable, for the second time or more."""
        asked = ROOM_PROBLEMS[record.questionnaire]
        value = record.answers.get(asked.key)
        if not chosen(value) or only_exclusive(asked, value):
            return
        self.room_reports += 1
        # Once can be a bad day; from the second report on, each one is an occurrence.
        if self.room_reports >= 2:
            self.add(AlertKind.ROOM_DISCOMFORT, record, text.WHY_ROOM_DISCOMFORT,
                        [(asked.key, value)], {"count": self.room_reports, "room": record.room})

    def periodic(self, record: Record) -> None:
        """Thinking of stopping; preferring a different therapist (if the reader may see it)."""
        for kind, asked, whys in (
            (AlertKind.THINKING_OF_STOPPING, STOPPING, STOPPING_WHY),
            (AlertKind.PREFER_DIFFERENT_THERAPIST, PREFER_DIFFERENT, PREFER_WHY),
        ):
            # The coordinator-only answer is already gone from a therapist's records.
            value = record.answers.get(asked.key)
            if isinstance(value, str) and value in whys:
                self.add(kind, record, whys[value], [(asked.key, value)])


def is_slide(values: Sequence[int], points: int) -> bool:
    """Tell whether three ratings fell each time, by `points` or more in all."""
    return (len(values) == 3 and values[0] > values[1] > values[2]
            and values[0] - values[2] >= points)


def silence(records: Sequence[Record], history: History) -> Alert | None:
    """No response for silence_weeks, counted from the latest one (or since the client came)."""
    last = records[-1].submitted_at if records else history.client_since
    due = last + timedelta(weeks=history.thresholds.silence_weeks)
    if history.now < due:
        return None
    # Keyed by the date of the last response: the same silence keeps its key from day to day.
    key = f"{AlertKind.SILENCE}:{last.astimezone(UTC).date().isoformat()}"
    weeks = (history.now - last).days // 7
    return _alert(AlertKind.SILENCE, key, text.WHY_SILENCE, due, history.acknowledged,
                  {"weeks": weeks})


def alerts(records: Sequence[Record], history: History) -> list[Alert]:
    """Return every alert, newest first, from records oldest first (one pass)."""
    scan = Scan(history.thresholds, history.acknowledged)
    for record in records:
        scan.look_at(record)
    quiet = silence(records, history)
    found = [*scan.found, *([quiet] if quiet else [])]
    # Ties go to the newer response, as in the timeline; the sort is stable, so alerts from one
    # response keep the order of the rules above.
    return sorted(found, key=lambda alert: (alert.at, alert.record_id or 0), reverse=True)
