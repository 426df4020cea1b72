"""Look-ups into the questionnaire declarations that fail at import, not at render, on a typo."""

from __future__ import annotations

from intake.questionnaires import REGISTRY, Kind, Question

from .text import Text
from .values import chosen


def question(questionnaire: str, key: str) -> Question:
    """Return a declared question, or raise LookupError."""
    found = REGISTRY[questionnaire].question(key)
    if found is None:
        raise LookupError(f"{questionnaire} declares no question {key!r}")
    return found


def codes(of: Question, *wanted: str) -> frozenset[str]:
    """Return these codes, after checking the question offers every one of them."""
    missing = set(wanted) - {choice.code for choice in of.all_choices}
    if missing:
        raise LookupError(f"{of.key} offers no choice {sorted(missing)}")
    return frozenset(wanted)


def note(of: Question, code: str) -> Text:
    """Return the note a declared choice carries, or raise LookupError."""
    choice = of.choice(code)
    if choice is None or choice.note is None:
        raise LookupError(f"{of.key}: choice {code!r} has no note")
    return choice.note


def scales(questionnaire: str) -> tuple[Question, ...]:
    """Return a questionnaire's rating questions, in declared order, retired ones last.

    A rating no longer asked still counts in the responses that answered it.
    """
    declared = REGISTRY[questionnaire]
    return tuple(q for q in (*declared.questions(), *declared.retired) if q.kind is Kind.SCALE)


def notes_of_chosen(of: Question, value: object) -> list[Text]:
    """Return the notes of the chosen choices, in declared order."""
    picked = set(chosen(value))
    return [c.note for c in of.all_choices if c.code in picked and c.note is not None]


def only_exclusive(of: Question, value: object) -> bool:
    """Tell whether the answer is only a "none of these" choice (nothing to report)."""
    picked = chosen(value)
    return bool(picked) and all(
        (choice := of.choice(code)) is not None and choice.exclusive for code in picked
    )
