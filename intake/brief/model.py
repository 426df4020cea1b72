"""What the brief is built from (a client's submitted responses) and what it is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from intake.questionnaires import Value

from .text import Text

# One answer as stored is a Value: a code, a whole number (scales), a list of codes (multiple
# choice) or free text; "rather_not_say" is a code like any other.
Pair = tuple[str, Value]  # (question key, value): the page shows labels in the viewer's language


class AlertKind(StrEnum):
    """What an alert is about."""

    JUDGED = "judged"
    NOT_LISTENED = "not_listened"
    IDEAS_DISMISSED = "ideas_dismissed"
    SCORE_LOW = "score_low"
    SCORE_DROP = "score_drop"
    SCORE_SLIDE = "score_slide"
    ROOM_DISCOMFORT = "room_discomfort"
    THINKING_OF_STOPPING = "thinking_of_stopping"
    PREFER_DIFFERENT_THERAPIST = "prefer_different_therapist"
    SILENCE = "silence"


# --- Input -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One submitted response."""

    id: int
    questionnaire: str  # intake | pre_session | post_session | periodic
    submitted_at: datetime  # aware, UTC
    locale: str  # the language the client answered in
    answers: dict[str, Value]
    appointment_at: datetime | None = None
    room: str | None = None  # the room name of the linked appointment
    version: int = 1  # the questionnaire's version it answered: its labels are that version's


@dataclass(frozen=True)
class Thresholds:
    """The practice's alert settings; these defaults are the practice's defaults too.

    The one source for them: `intake.models.Practice` and the admin settings take their
    defaults from here (docs/decisions.md, "Alert thresholds", gives the reasons).
    """

    score_drop: int = 3  # points a post-session rating must fall to raise an alert
    # "Listened" and "ideas taken seriously" at or below this (below 8 of 10) ask for a word:
    # relationship ratings cluster near the top, so a low floor only sees severe ruptures.
    alliance_floor: int = 7
    score_floor: int = 5  # any other post-session rating at or below this is low
    silence_weeks: int = 4  # weeks without a response before an alert
    # Points a rating must lose in all over three appointments, falling each time, to count
    # as a slow slide (each step may be smaller than score_drop).
    score_slide: int = 2

    def __post_init__(self) -> None:
        # A zero drop, slide or zero weeks would raise an alert on every response.
        if (self.score_drop < 1 or self.silence_weeks < 1 or self.score_floor < 0
                or self.alliance_floor < 0 or self.score_slide < 1):
            raise ValueError(f"thresholds out of range: {self}")


@dataclass(frozen=True)
class History:
    """Everything the brief needs about one client."""

    records: list[Record]  # any order
    acknowledged: dict[str, tuple[str, datetime]]  # alert key -> (who, when)
    now: datetime
    thresholds: Thresholds
    client_since: datetime  # when the client record was created: silence counts from here


# --- Output ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """Something the client wrote, exactly as written."""

    questionnaire: str
    question: str  # the key of the question it answers (its short label names it)
    text: str
    locale: str
    at: datetime


@dataclass(frozen=True)
class Finding:
    """One thing to know before the first appointment, from the latest intake."""

    key: str  # stable: readiness, confidentiality, pace, prior_therapy, judgement, fit, ...
    title: str  # an N_ message
    detail: str | None = None  # an N_ message
    params: dict[str, object] = field(default_factory=dict)  # for title and detail
    answers: list[Pair] = field(default_factory=list)  # includes "rather_not_say" answers
    suggestions: list[Text] = field(default_factory=list)  # N_ messages or lazy Choice.notes
    locale: str = ""  # the language free-text answers were written in
    version: int = 1  # of the intake the answers come from


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to prepare in the room."""

    text: Text  # a lazy Choice.note
    source: str  # the questionnaire it came from


@dataclass(frozen=True)
class TimelineEntry:
    """One response, with its notable answers."""

    record_id: int
    questionnaire: str
    at: datetime
    locale: str
    highlights: list[Pair]
    version: int = 1
    appointment_at: datetime | None = None
    room: str | None = None


@dataclass(frozen=True)
class Point:
    """One value of a rating over time."""

    at: datetime
    value: int


@dataclass(frozen=True)
class Alert:
    """Something that asks for the therapist's attention, with why and what to ask."""

    key: str  # stable and unique per occurrence: what an acknowledgement refers to
    kind: str
    why: str  # an N_ message
    params: dict[str, object]
    questions: list[str]  # N_ messages
    at: datetime
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    record_id: int | None = None  # the response that raised it (none for silence)
    questionnaire: str | None = None
    answers: list[Pair] = field(default_factory=list)  # the answers behind it
    version: int = 1  # of the questionnaire the answers come from


@dataclass(frozen=True)
class Brief:
    """The therapist's page for one client, as data."""

    own_words: list[Quote]
    first_appointment: list[Finding]
    room_checklist: list[ChecklistItem]
    timeline: list[TimelineEntry]  # newest first
    trends: dict[str, list[Point]]  # question key -> points, oldest first
    alerts: list[Alert]  # newest first
