"""The shape of a questionnaire: steps of questions, each with a key, a kind and choices.

Every fact about a question lives on its declaration: its kind, its choices, which of the
client's goals it states or rates, its short label for charts and lists, who may read it,
whether it is about the room, and the wording older versions used. Everything else
(forms, storage, the brief, exports, room feedback) is derived from it.

Versions (docs/decisions.md): a questionnaire's `version` goes up when its wording or
choices change. Nothing is ever deleted from a declaration: a reworded question or choice
keeps its earlier wording (`Wording`), a choice no longer offered stays with
`retired_in`, and a question no longer asked moves to the questionnaire's `retired`
questions. A response records the version it answered, so it is always shown with the
words the client read.

Declarations compare and hash by identity (eq=False): each is declared once, and
comparing by value would translate every lazy label it holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from .kinds import RATHER_NOT_SAY, Kind, QuestionKind, Value

__all__ = ["RATHER_NOT_SAY", "Audience", "Choice", "Condition", "Kind", "Question",
           "Questionnaire", "Room", "Step", "Value", "Wording"]


class Audience(StrEnum):
    """Who reads an answer: some answers are for the practice coordinator only."""

    THERAPIST = "therapist"
    COORDINATOR = "coordinator"


class Room(StrEnum):
    """What a question about the room asks."""

    WISHES = "wishes"  # what would make it more comfortable (before an appointment)
    PROBLEMS = "problems"  # what was uncomfortable (after one): the practice's room feedback


@dataclass(frozen=True, eq=False)
class Wording:
    """The words a question or choice had in versions before `before`."""

    before: int
    label: LazyString
    hint: LazyString | None = None


def _worded(earlier: tuple[Wording, ...], version: int) -> Wording | None:
    for wording in sorted(earlier, key=lambda w: w.before):
        if version < wording.before:
            return wording
    return None


@dataclass(frozen=True, eq=False)
class Choice:
    """One answer a client can pick, stored as its code, shown as its label."""

    code: str
    label: LazyString
    # What the brief tells the therapist when this is chosen: a sentence, a thing to prepare.
    note: LazyString | None = None
    # Picking it excludes every other choice ("none of these").
    exclusive: bool = False
    since: int = 1
    retired_in: int | None = None  # no longer offered from this version on
    earlier: tuple[Wording, ...] = ()

    def label_at(self, version: int) -> LazyString:
        """Return the label the client read in this version."""
        wording = _worded(self.earlier, version)
        return wording.label if wording else self.label

    def offered_at(self, version: int) -> bool:
        return self.since <= version and (self.retired_in is None or version < self.retired_in)


# Translators: offered under every question; gentle and polite, never a blunt refusal.
RATHER_NOT_SAY_CHOICE = Choice(RATHER_NOT_SAY, _l("I'd rather not say"), exclusive=True)


@dataclass(frozen=True)
class Condition:
    """Holds when an earlier single-choice answer is one of these codes."""

    question: str
    codes: frozenset[str]

    def holds(self, answers: Mapping[str, object]) -> bool:
        return answers.get(self.question) in self.codes


@dataclass(frozen=True, eq=False)
class Question:
    key: str
    kind: QuestionKind
    label: LazyString
    hint: LazyString | None = None
    choices: tuple[Choice, ...] = ()
    optional: bool = True
    low: int = 0
    high: int = 10
    low_label: LazyString | None = None
    high_label: LazyString | None = None
    max_length: int = 0
    # The client's goal (1, 2, 3) this question states in their words (intake) ...
    states_goal: int | None = None
    # ... or rates progress on; it is only asked when the client wrote that goal.
    goal: int | None = None
    # How a chart, a list or the brief names it in a few words.
    short_label: LazyString | None = None
    # The client's own words that lead the brief (the latest answer only).
    quoted: bool = False
    # What the question asks about the room, if it does.
    room: Room | None = None
    # For the practice coordinator only, unless this holds (the client chose to share it).
    for_coordinator_unless: Condition | None = None
    # Offer "I'd rather not say" as an answer (every choice and scale question does).
    rather_not_say: bool = True
    since: int = 1
    retired_in: int | None = None  # no longer asked from this version on
    earlier: tuple[Wording, ...] = ()

    def __post_init__(self) -> None:
        if not self.max_length and self.kind.default_max_length:
            object.__setattr__(self, "max_length", self.kind.default_max_length)
        if not self.choices and self.kind.default_choices:
            object.__setattr__(self, "choices", tuple(
                Choice(code, label) for code, label in self.kind.default_choices))

    @property
    def all_choices(self) -> tuple[Choice, ...]:
        """Return the choices offered now, "I'd rather not say" last."""
        offered = tuple(c for c in self.choices if c.retired_in is None)
        if self.kind.offers_choices and self.rather_not_say:
            return (*offered, RATHER_NOT_SAY_CHOICE)
        return offered

    def choices_at(self, version: int) -> tuple[Choice, ...]:
        """Return the choices offered in a version, "I'd rather not say" last."""
        offered = tuple(c for c in self.choices if c.offered_at(version))
        if self.kind.offers_choices and self.rather_not_say:
            return (*offered, RATHER_NOT_SAY_CHOICE)
        return offered

    def choice(self, code: str) -> Choice | None:
        """Return a choice by its code, retired ones included (old answers hold them)."""
        for choice in self.choices:
            if choice.code == code:
                return choice
        if code == RATHER_NOT_SAY and self.rather_not_say:
            return RATHER_NOT_SAY_CHOICE
        return None

    def label_at(self, version: int) -> LazyString:
        wording = _worded(self.earlier, version)
        return wording.label if wording else self.label

    def asked_at(self, version: int) -> bool:
        return self.since <= version and (self.retired_in is None or version < self.retired_in)

    def readable_by(self, audience: str, answers: Mapping[str, object]) -> bool:
        """Tell whether this audience may read the answer, given the response's answers."""
        if self.for_coordinator_unless is None or Audience(audience) is Audience.COORDINATOR:
            return True
        return self.for_coordinator_unless.holds(answers)


@dataclass(frozen=True, eq=False)
class Step:
    key: str
    questions: tuple[Question, ...]
    title: LazyString | None = None
    show_if: Condition | None = None


@dataclass(frozen=True, eq=False)
class Questionnaire:
    key: str
    version: int
    title: LazyString
    intro: LazyString
    steps: tuple[Step, ...]
    # How staff pages name it ("Intake", "Post-session feedback"): never the client's words.
    staff_title: LazyString | None = None
    # Questions no longer asked, kept so older responses still read (each with retired_in).
    retired: tuple[Question, ...] = ()
    # After it is submitted, the periodic survey is offered on the same visit when it is due.
    offers_survey: bool = False
    _index: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {question.key: question for question in (*self.questions(), *self.retired)}
        object.__setattr__(self, "_index", index)

    def questions(self) -> Iterator[Question]:
        """Yield the questions asked now, in declared order."""
        for step in self.steps:
            yield from step.questions

    def questions_at(self, version: int) -> list[Question]:
        """Return the questions asked in a version, in declared order, retired ones last."""
        return [q for q in (*self.questions(), *self.retired) if q.asked_at(version)]

    def question(self, key: str) -> Question | None:
        """Return a question by its key, retired ones included."""
        return self._index.get(key)

    def readable(self, answers: Mapping[str, Value], audience: str) -> dict[str, Value]:
        """Return a copy of one response's answers, less those the audience may not read."""
        return {
            key: value for key, value in answers.items()
            if (question := self._index.get(key)) is None
            or question.readable_by(audience, answers)
        }
