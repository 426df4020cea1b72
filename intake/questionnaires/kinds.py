"""The kinds of question, one class each: everything a kind does lives here.

A kind reads what the browser sent (`parse`, `check`), turns the answer into the cells of
stored rows and back (`cells`, `read`), and says it in words for a reader (`label`,
`cell_label`). The declarations name a kind; the step form, storage, the brief's labels
and the exports all ask it. Its `macro` names the macro of `templates/_macros.html` that
draws it, and its `fhir_type` the FHIR item type it exports as. Adding a kind is one class
here, one line in `Kind`, and one macro.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel.lists import format_list
from flask_babel import LazyString, _, get_locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

if TYPE_CHECKING:
    from .model import Question

RATHER_NOT_SAY = "rather_not_say"

# One answer as the app handles it: a code, a whole number, a list of codes or free text.
Value = str | int | list[str] | None

ONLY_ONE = _l("Please pick only one answer.")
NOT_OFFERED = _l("Please pick one of the answers shown.")
TOO_LONG = _l("Please shorten this to %(max)d characters or fewer.")
EXCLUSIVE = _l("\u201c%(choice)s\u201d cannot be picked together with other answers.")

# What ends a sentence in the configured languages (Arabic uses the Latin full stop).
_FULL_STOPS = ".\u3002"

# Control characters (but tab and newline) and NUL bytes never belong in an answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Refused(ValueError):
    """What the client sent for a question cannot be kept; the message says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Cell:
    """What one stored answer row holds, apart from where it belongs."""

    position: int = 0
    code: str | None = None
    number: int | None = None
    text: str | None = None


class QuestionKind:
    """What every kind does; each subclass says how."""

    name: str = ""
    macro: str = ""
    fhir_type: str = ""  # the FHIR R4 Questionnaire item type it exports as
    # The client's own words: sealed at rest, never shown on a page kept for others.
    is_text = False
    offers_choices = False
    default_max_length = 0
    # The choices (code, label) every question of this kind offers unless declared otherwise.
    default_choices: tuple[tuple[str, LazyString], ...] = ()

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"Kind.{self.name.upper()}"

    def parse(self, question: Question, sent: list) -> object:
        """Return what the browser sent for the question, as the form holds it."""
        first = sent[0] if sent else None
        return first if isinstance(first, str) and first != "" else None

    def check(self, question: Question, sent: list, data: object) -> None:
        """Raise Refused when the answer cannot be kept as sent."""
        if len(set(map(str, sent))) > 1:
            # Policy: two different values for one answer are refused, never guessed.
            raise Refused(ONLY_ONE)

    def value(self, question: Question, data: object) -> Value:
        """Return the answer to store, from what the form holds."""
        return data  # type: ignore[return-value]

    def form_data(self, value: Value) -> object:
        """Return a stored answer as the form shows it again."""
        return value

    def cells(self, value: Value) -> list[Cell]:
        """Return the stored rows of an answer; none when it was skipped."""
        return [] if value is None or value in ("", []) else [Cell(code=str(value))]

    def read(self, cells: list[Cell]) -> Value:
        """Return the answer from its stored rows, in position order."""
        return cells[0].code if cells else None

    def label(self, question: Question, value: Value, version: int) -> str:
        """Return the answer in words, in the reader's language."""
        if value == RATHER_NOT_SAY or value == [RATHER_NOT_SAY]:
            return _("Preferred not to say")
        return str(value)

    def cell_label(self, question: Question, cell: Cell, version: int) -> str:
        """Return one stored row in words (an export's answer label); free text has none."""
        return self.label(question, self.read([cell]), version)


class SingleChoice(QuestionKind):
    """One choice, stored as its code."""

    name = "single"
    macro = "choices"
    fhir_type = "choice"
    offers_choices = True
    input_type = "radio"

    def check(self, question: Question, sent: list, data: object) -> None:
        super().check(question, sent, data)
        # A retired choice is still read back on old responses, but never offered.
        if data is not None and data not in {choice.code for choice in question.all_choices}:
            raise Refused(NOT_OFFERED)

    def label(self, question: Question, value: Value, version: int) -> str:
        if value == RATHER_NOT_SAY or value == [RATHER_NOT_SAY]:
            return _("Preferred not to say")
        codes = value if isinstance(value, list) else [value]
        labels = [str(choice.label_at(version)) if (choice := question.choice(code)) else code
                  for code in codes if isinstance(code, str)]
        # Some choices are whole sentences: a list of them reads "A, B and C", not "A., B.".
        return format_list([label.rstrip(_FULL_STOPS) for label in labels], locale=get_locale())


class YesNo(SingleChoice):
    """Yes or no (or "I'd rather not say"), side by side: the kind brings its own choices."""

    name = "yes_no"
    macro = "yes_no"

    default_choices = (("yes", _lp("answer to a yes or no question", "Yes")),
                       ("no", _lp("answer to a yes or no question", "No")))


class MultipleChoice(SingleChoice):
    """Any number of choices, one row each, in the declaration's order."""

    name = "multiple"
    input_type = "checkbox"

    def parse(self, question: Question, sent: list) -> list[str]:
        # Policy: a choice sent twice counts once; order is the declaration's.
        wanted = {value for value in sent if isinstance(value, str)}
        offered = [choice.code for choice in question.all_choices]
        return [code for code in offered if code in wanted] + sorted(wanted - set(offered))

    def check(self, question: Question, sent: list, data: object) -> None:
        chosen = data if isinstance(data, list) else []
        offered = {choice.code: choice for choice in question.all_choices}
        if any(code not in offered for code in chosen):
            raise Refused(NOT_OFFERED)
        if len(chosen) > 1:
            for code in chosen:
                if offered[code].exclusive:
                    raise Refused(EXCLUSIVE % {"choice": offered[code].label})

    def value(self, question: Question, data: object) -> Value:
        return data or None  # type: ignore[return-value]

    def cells(self, value: Value) -> list[Cell]:
        codes = value if isinstance(value, list) else [] if value is None else [value]
        return [Cell(position, code=str(code)) for position, code in enumerate(codes)]

    def read(self, cells: list[Cell]) -> Value:
        return [cell.code for cell in cells if cell.code is not None]


class Scale(QuestionKind):
    """A whole number from the question's low to high, or "I'd rather not say"."""

    name = "scale"
    macro = "scale"
    fhir_type = "integer"

    def check(self, question: Question, sent: list, data: object) -> None:
        super().check(question, sent, data)
        allowed = {str(n) for n in range(question.low, question.high + 1)} | {RATHER_NOT_SAY}
        if data is not None and data not in allowed:
            raise Refused(NOT_OFFERED)

    def value(self, question: Question, data: object) -> Value:
        return data if data in (None, RATHER_NOT_SAY) else int(str(data))

    def form_data(self, value: Value) -> object:
        return str(value) if isinstance(value, int) else value

    def cells(self, value: Value) -> list[Cell]:
        if isinstance(value, int) and not isinstance(value, bool):
            return [Cell(number=value)]
        return super().cells(value)

    def read(self, cells: list[Cell]) -> Value:
        if not cells:
            return None
        return cells[0].number if cells[0].number is not None else cells[0].code

    def label(self, question: Question, value: Value, version: int) -> str:
        if isinstance(value, int):
            # Every configured locale writes these small numbers in Latin digits.
            return _("%(value)s out of %(high)s", value=value, high=question.high)
        return super().label(question, value, version)

    def cell_label(self, question: Question, cell: Cell, version: int) -> str:
        # A spreadsheet sorts the bare number; the column says what it is out of.
        if cell.number is not None:
            return str(cell.number)
        return super().cell_label(question, cell, version)


class ShortText(QuestionKind):
    """A line of the client's own words, stored as written (sealed)."""

    name = "short_text"
    macro = "text_line"
    fhir_type = "string"
    is_text = True
    default_max_length = 200

    def parse(self, question: Question, sent: list) -> str | None:
        text = sent[0] if sent and isinstance(sent[0], str) else ""
        return unicodedata.normalize("NFC", _CONTROL.sub("", text)).strip() or None

    def check(self, question: Question, sent: list, data: object) -> None:
        if isinstance(data, str) and len(data) > question.max_length:
            raise Refused(TOO_LONG % {"max": question.max_length})

    def cells(self, value: Value) -> list[Cell]:
        return [Cell(text=str(value))] if value else []

    def read(self, cells: list[Cell]) -> Value:
        return cells[0].text if cells else None

    def label(self, question: Question, value: Value, version: int) -> str:
        return "" if value is None else str(value)

    def cell_label(self, question: Question, cell: Cell, version: int) -> str:
        return ""  # the text column holds it as written


class LongText(ShortText):
    """A few paragraphs of the client's own words."""

    name = "long_text"
    macro = "text_box"
    fhir_type = "text"
    default_max_length = 2000


class Kind:
    """The kinds a declaration can name."""

    SINGLE = SingleChoice()
    MULTIPLE = MultipleChoice()
    SCALE = Scale()
    YES_NO = YesNo()
    SHORT_TEXT = ShortText()
    LONG_TEXT = LongText()

    ALL = (SINGLE, MULTIPLE, SCALE, YES_NO, SHORT_TEXT, LONG_TEXT)
