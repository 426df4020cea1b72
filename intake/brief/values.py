"""Reading one stored answer: codes, a rating, free text, or "I'd rather not say"."""

from __future__ import annotations

from intake.questionnaires import RATHER_NOT_SAY


def answered(value: object) -> bool:
    """Tell whether the question was answered (skipped ones store nothing; blank says nothing)."""
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value != []


def is_rather_not_say(value: object) -> bool:
    """Tell whether the answer is "I'd rather not say"."""
    return value == RATHER_NOT_SAY or value == [RATHER_NOT_SAY]


def chosen(value: object) -> list[str]:
    """Return the codes chosen, single or multiple, less "I'd rather not say"."""
    if isinstance(value, str):
        return [] if value == RATHER_NOT_SAY else [value]
    if isinstance(value, list):
        return [code for code in value if isinstance(code, str) and code != RATHER_NOT_SAY]
    return []


def number(value: object) -> int | None:
    """Return a rating, or None when it was skipped or not given."""
    # bool is an int in Python; a stored rating never is one.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def written(value: object) -> str | None:
    """Return free text exactly as written, or None when there is nothing in it."""
    return value if isinstance(value, str) and value.strip() else None
