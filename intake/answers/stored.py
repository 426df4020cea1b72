"""Stored answers: one named row type, made in one place and read in one place.

Answers are stored as codes and numbers, free text sealed as written (infra/sealing.py).
`rows_for` makes the rows of one answer (sealing its text for that row); `read_answers`
turns selected rows into `StoredAnswer`s, opening each text; `values_of` asks each
question's kind to read its rows back into an answer. Nothing else unpacks answer rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from ..infra.sealing import open_answer, seal_answer
from ..models import Answer
from ..questionnaires import REGISTRY, Cell, Question, Value

# Select these (after any columns of your own) and hand the rows to read_answers.
COLUMNS = (Answer.response_id, Answer.question, Answer.position, Answer.code, Answer.number,
           Answer.text, Answer.sealed_with, Answer.text_locale)
WIDTH = len(COLUMNS)


class StoredAnswer(NamedTuple):
    """One stored answer row, its text opened."""

    response_id: int
    question: str
    position: int
    code: str | None
    number: int | None
    text: str | None  # as the client wrote it
    text_locale: str | None  # the language it was written in

    @property
    def cell(self) -> Cell:
        return Cell(self.position, self.code, self.number, self.text)


def read_answers(rows: Iterable[Sequence], start: int = 0) -> Iterator[StoredAnswer]:
    """Yield the answers of rows that hold COLUMNS from `start` on, each text opened.

    A row whose answer columns are all empty (an outer join that found none) is skipped.
    """
    for row in rows:
        (response_id, question, position, code, number, text, sealed_with,
         text_locale) = row[start:start + WIDTH]
        if question is None:
            continue
        yield StoredAnswer(response_id, question, position, code, number,
                           open_answer(text, sealed_with, response_id, question, position),
                           text_locale)


def values_of(questionnaire: str, answers: Iterable[StoredAnswer]) -> dict[str, Value]:
    """Return one response's answers by question key, each read back by its kind."""
    declared = REGISTRY.get(questionnaire)
    cells: dict[str, list[Cell]] = defaultdict(list)
    for answer in answers:
        cells[answer.question].append(answer.cell)
    values: dict[str, Value] = {}
    for key, found in cells.items():
        found.sort(key=lambda cell: cell.position)
        question = declared.question(key) if declared else None
        if question is not None:
            values[key] = question.kind.read(found)
        else:  # not declared (any more): keep what is there
            first = found[0]
            values[key] = (first.number if first.number is not None
                           else first.text if first.text is not None else first.code)
    return values


def rows_for(question: Question, value: Value, locale: str, response_id: int) -> list[dict]:
    """Return the columns of one answer's rows (none if skipped), its text sealed."""
    rows = []
    for cell in question.kind.cells(value):
        row = {"response_id": response_id, "question": question.key,
               "position": cell.position, "code": cell.code, "number": cell.number,
               "text": None, "text_locale": None, "sealed_with": None}
        if cell.text is not None:
            sealed, key_id = seal_answer(cell.text, response_id, question.key, cell.position)
            row.update(text=sealed, sealed_with=key_id, text_locale=locale)
        rows.append(row)
    return rows
