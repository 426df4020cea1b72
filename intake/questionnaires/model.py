"""The shape of a questionnaire: steps of questions, each with a key, a kind and choices.

Declarations compare and hash by identity (eq=False): each is declared once, and
comparing by value would translate every lazy label it holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

RATHER_NOT_SAY = "rather_not_say"


class Kind(StrEnum):
    SINGLE = "single"  # one choice
    MULTIPLE = "multiple"  # any number of choices
    SCALE = "scale"  # a whole number from low to high
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"


TEXT_KINDS = frozenset({Kind.SHORT_TEXT, Kind.LONG_TEXT})
CHOICE_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE})


@dataclass(frozen=True, eq=False)
class Choice:
    """One answer a client can pick, stored as its code, shown as its label."""

    code: str
    label: LazyString
    # What the brief tells the therapist when this is chosen: a sentence, a thing to prepare.
    note: LazyString | None = None
    # Picking it excludes every other choice ("none of these").
    exclusive: bool = False


RATHER_NOT_SAY_CHOICE = Choice(RATHER_NOT_SAY, _l("I'd rather not say"), exclusive=True)


@dataclass(frozen=True)
class Condition:
    """Show a step only when an earlier single-choice answer is one of these codes."""

    question: str
    codes: frozenset[str]

    def holds(self, answers: dict[str, object]) -> bool:
        return answers.get(self.question) in self.codes


@dataclass(frozen=True, eq=False)
class Question:
    key: str
    kind: Kind
    label: LazyString
    hint: LazyString | None = None
    choices: tuple[Choice, ...] = ()
    optional: bool = True
    low: int = 0
    high: int = 10
    low_label: LazyString | None = None
    high_label: LazyString | None = None
    max_length: int = 0
    # The number of the client's own goal this question asks about (periodic survey).
    goal: int | None = None
    # Offer "I'd rather not say" as an answer (every choice and scale question does).
    rather_not_say: bool = True

    def __post_init__(self) -> None:
        if self.kind in TEXT_KINDS and not self.max_length:
            object.__setattr__(
                self, "max_length", 200 if self.kind is Kind.SHORT_TEXT else 2000
            )

    @property
    def all_choices(self) -> tuple[Choice, ...]:
        """Return the choices as offered, "I'd rather not say" last."""
        if self.kind in CHOICE_KINDS and self.rather_not_say:
            return (*self.choices, RATHER_NOT_SAY_CHOICE)
        return self.choices

    def choice(self, code: str) -> Choice | None:
        for choice in self.all_choices:
            if choice.code == code:
                return choice
        if code == RATHER_NOT_SAY and self.rather_not_say:
            return RATHER_NOT_SAY_CHOICE
        return None


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
    _index: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {question.key: question for question in self.questions()}
        object.__setattr__(self, "_index", index)

    def questions(self) -> Iterator[Question]:
        for step in self.steps:
            yield from step.questions

    def question(self, key: str) -> Question | None:
        return self._index.get(key)
