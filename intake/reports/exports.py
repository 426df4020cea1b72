"""Exports of submitted responses, one row per answer, as CSV or JSON.

What a file holds, and why:
- Answers as stored (codes, numbers, free text as written with its language), each beside
  its label in the language the exporter chooses, so people and programs read the same file.
  Drafts are never exported.
- Column names are stable keys (`COLUMNS`), never translated: a script that reads the file
  keeps working whatever the language of the labels.
- One row per stored answer: a multiple-choice answer gives one row per chosen code, so no
  cell needs a separator. Rows follow the questionnaire's declared order.
- Labels are those of the version each response answered (a reworded question keeps the words
  the client read); a question or code that is no longer declared is shown by its key.
- CSV is UTF-8 with a byte order mark: without it Excel reads the file in the computer's
  legacy code page and garbles Arabic and Chinese; LibreOffice, Numbers and Python's
  `encoding="utf-8-sig"` skip it. Lines end in CRLF (RFC 4180); quoting is minimal.
- CSV formula injection (OWASP): a text cell that begins with = + - @ a tab or a carriage
  return gets a leading apostrophe, so no spreadsheet runs it. Numbers are written as numbers
  only in the numeric columns (ids, version, answer_number). JSON is for programs and keeps
  every value exactly as stored.
- Each row also carries the appointment its check-in was for (date, kind, room), when there
  was one.
- Exports stream: one query reads the rows in batches (plus one count for the audit event),
  and the file is written in chunks, whatever the number of responses.
Nothing here reads the request: the views choose the reader, the format and the language.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from typing import NamedTuple

from flask_babel import force_locale
from sqlalchemy import func, select

from ..answers import stored
from ..answers.labels import question_of
from ..answers.stored import StoredAnswer, read_answers, values_of
from ..brief import Audience, visible_answers
from ..extensions import db
from ..models import Answer, Appointment, CheckIn, Client, Consent, Response, Room, utcnow
from ..practice import audit
from ..questionnaires import REGISTRY

FORMATS = ("csv", "json")
MIMETYPES = {"csv": "text/csv", "json": "application/json"}
BATCH = 500  # rows read from the database, and rows written, per chunk

COLUMNS = (
    "client_reference",
    "response_id",
    "questionnaire",
    "questionnaire_version",
    "response_locale",  # the language the client answered in
    "submitted_at",  # ISO 8601, UTC
    "question",
    "question_label",
    "answer_code",
    "answer_number",
    "answer_label",
    "text",  # free text as the client wrote it
    "text_locale",  # the language it was written in
    "appointment_at",  # ISO 8601, UTC: the appointment the check-in was for, if any
    "appointment_kind",  # in_person | video
    "room",  # the appointment's room, if it had one
)

# What a spreadsheet may take for the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

class ExportRow(NamedTuple):
    """One answer, with what it belongs to and its labels; fields in `COLUMNS` order."""

    client_reference: str
    response_id: int
    questionnaire: str
    questionnaire_version: int
    response_locale: str
    submitted_at: str
    question: str
    question_label: str
    answer_code: str | None
    answer_number: int | None
    answer_label: str
    text: str | None
    text_locale: str | None
    appointment_at: str | None = None
    appointment_kind: str | None = None
    room: str | None = None


@dataclass(frozen=True)
class Period:
    """Submitted on or after `since` and on or before `until`: whole days, in UTC."""

    since: date | None = None
    until: date | None = None

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """Return the first instant included and the first instant excluded."""
        start = datetime.combine(self.since, time.min, UTC) if self.since else None
        end = None
        if self.until:
            try:
                end = datetime.combine(self.until + timedelta(days=1), time.min, UTC)
            except OverflowError:  # the last day of year 9999: no end at all
                end = None
        return start, end

    def describe(self) -> str:
        """Return the period for an audit event, e.g. "from=2026-01-01 to=2026-03-31"."""
        parts = []
        if self.since:
            parts.append(f"from={self.since.isoformat()}")
        if self.until:
            parts.append(f"to={self.until.isoformat()}")
        return " ".join(parts)


class Labels:
    """Question and answer labels in one language, each said once and then remembered.

    The labels are those of the version each response answered (exports hold old and new
    responses side by side); a question or code no longer declared is shown by its key.
    """

    def __init__(self, locale: str):
        self.locale = locale
        self._said: dict[tuple, str] = {}

    def _say(self, key: tuple, say) -> str:
        found = self._said.get(key)
        if found is None:
            with force_locale(self.locale):
                found = self._said[key] = say()
        return found

    def question(self, questionnaire: str, version: int, key: str) -> str:
        question = question_of(questionnaire, key)
        if question is None:
            return key
        return self._say((questionnaire, version, key),
                         lambda: str(question.label_at(version)))

    def answer(self, questionnaire: str, version: int, answer: StoredAnswer) -> str:
        """Return one row's label: a choice's label, a scale's number, nothing for text."""
        question = question_of(questionnaire, answer.question)
        if question is None:
            return answer.code or ("" if answer.number is None else str(answer.number))
        if answer.number is not None:
            return str(answer.number)
        return self._say((questionnaire, version, answer.question, answer.code),
                         lambda: question.kind.cell_label(question, answer.cell, version))


def labels_in(locale: str) -> Labels:
    """Return the labels of every questionnaire in one language, said when first needed."""
    return Labels(locale)


def iso_utc(at: datetime) -> str:
    """Return a time as ISO 8601 in UTC, to the second: 2026-11-26T09:30:00Z."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Reading


def _conditions(as_of: datetime, period: Period, client_id: int | None) -> list:
    start, end = period.bounds()
    conditions = [Response.submitted_at.is_not(None), Response.submitted_at <= as_of]
    if start is not None:
        conditions.append(Response.submitted_at >= start)
    if end is not None:
        conditions.append(Response.submitted_at < end)
    if client_id is not None:
        conditions.append(Response.client_id == client_id)
    return conditions


def count_answers(as_of: datetime, period: Period = Period(),
                  client_id: int | None = None) -> int:
    """Return how many answer rows an export of everything would hold (one query)."""
    return db.session.scalar(
        select(func.count(Answer.id))
        .join(Response, Response.id == Answer.response_id)
        .where(*_conditions(as_of, period, client_id))
    ) or 0


def export_rows(labels: Labels, audience: str, as_of: datetime, period: Period = Period(),
                client_id: int | None = None) -> Iterator[ExportRow]:
    """Yield the answers of submitted responses that this audience may see, in one query.

    `as_of` leaves out what was submitted after the export began, so the rows match the
    count recorded in the audit event.
    """
    audience = Audience(audience)
    statement = (
        select(Client.reference, Response.questionnaire, Response.version, Response.locale,
               Response.submitted_at, Appointment.starts_at, Appointment.kind, Room.name,
               *stored.COLUMNS)
        .join(Client, Client.id == Response.client_id)
        .join(CheckIn, CheckIn.id == Response.check_in_id)
        .outerjoin(Appointment, Appointment.id == CheckIn.appointment_id)
        .outerjoin(Room, Room.id == Appointment.room_id)
        .join(Answer, Answer.response_id == Response.id)
        .where(*_conditions(as_of, period, client_id))
        .order_by(Response.submitted_at, Response.id)
    )
    result = db.session.execute(statement, execution_options={"yield_per": BATCH})
    for _response_id, rows in groupby(result, key=lambda row: row[_HEAD]):
        yield from _response_rows(list(rows), labels, audience)


_HEAD = 8  # the columns before the answer's


def _response_rows(rows: list, labels: Labels, audience: Audience) -> Iterator[ExportRow]:
    """Turn one response's rows into export rows, less the answers the audience may not see."""
    reference, key, version, locale, submitted_at, starts_at, kind, room = rows[0][:_HEAD]
    answers = list(read_answers(rows, start=_HEAD))
    shown = visible_answers(key, values_of(key, answers), audience).keys()
    declared = REGISTRY.get(key)
    order = {q.key: i for i, q in enumerate(declared.questions_at(version))} if declared else {}
    at = iso_utc(submitted_at)
    for answer in sorted(answers, key=lambda a: (order.get(a.question, len(order)),
                                                 a.question, a.position)):
        if answer.question not in shown:
            continue
        yield ExportRow(
            client_reference=reference, response_id=answer.response_id, questionnaire=key,
            questionnaire_version=version, response_locale=locale, submitted_at=at,
            question=answer.question,
            question_label=labels.question(key, version, answer.question),
            answer_code=answer.code, answer_number=answer.number,
            answer_label=labels.answer(key, version, answer),
            text=answer.text, text_locale=answer.text_locale,
            appointment_at=iso_utc(starts_at) if starts_at else None,
            appointment_kind=kind, room=room,
        )


# Writing


def neutralise(value: str) -> str:
    """Make a text cell inert in a spreadsheet: prefix a would-be formula with an apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: str | int | None) -> str | int:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return value  # the numeric columns: ids, version, answer_number


def csv_chunks(rows: Iterable[ExportRow]) -> Iterator[str]:
    """Yield a CSV file in chunks: a byte order mark, the header, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL)
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for number, row in enumerate(rows, 1):
        writer.writerow([_csv_cell(value) for value in row])
        if number % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(rows: Iterable[ExportRow], meta: dict) -> Iterator[str]:
    """Yield a JSON object in chunks: the metadata, then "answers", one object per row."""
    head = json.dumps(meta, ensure_ascii=False)
    yield head[:-1] + (", " if meta else "") + '"answers": ['
    chunk: list[str] = []
    for number, row in enumerate(rows):
        chunk.append(("," if number else "") + "\n" + json.dumps(row._asdict(),
                                                                ensure_ascii=False))
        if len(chunk) == BATCH:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "\n]}\n"


# Exports, each an audit event


@dataclass(frozen=True)
class Export:
    """A file ready to stream: its name, its type and its content, not yet read."""

    filename: str
    mimetype: str
    chunks: Iterator[str]


def _safe_for_filename(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text)[:64] or "client"


def _export(stem: str, file_format: str, rows: Iterator[ExportRow], meta: dict,
            as_of: datetime) -> Export:
    if file_format not in FORMATS:
        raise ValueError(f"unknown export format {file_format!r}")
    chunks = csv_chunks(rows) if file_format == "csv" else json_chunks(rows, meta)
    return Export(filename=f"{stem}-{as_of.date().isoformat()}.{file_format}",
                  mimetype=MIMETYPES[file_format], chunks=chunks)


def export_responses(actor_id: int, file_format: str, locale: str,
                     period: Period = Period()) -> Export:
    """Export every client's submitted responses (for the coordinator: nothing is hidden)."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown export format {file_format!r}")
    as_of = utcnow()
    count = count_answers(as_of, period)
    detail = f"format={file_format} rows={count} labels={locale} {period.describe()}"
    audit.record("export.responses", actor_id, detail=detail.strip())
    labels = labels_in(locale)
    rows = export_rows(labels, Audience.COORDINATOR, as_of, period)
    meta = {"export": "responses", "exported_at": iso_utc(as_of), "labels_locale": locale,
            "since": period.since.isoformat() if period.since else None,
            "until": period.until.isoformat() if period.until else None}
    return _export("intake-responses", file_format, rows, meta, as_of)


def consent_choices(client_id: int) -> list[dict]:
    """Return what the client chose on the consent page, oldest first (JSON only)."""
    return [
        {"choice": choice, "at": iso_utc(at), "text_version": version, "locale": locale}
        for choice, at, version, locale in db.session.execute(
            select(Consent.choice, Consent.at, Consent.text_version, Consent.locale)
            .where(Consent.client_id == client_id).order_by(Consent.at, Consent.id))
    ]


def export_client(actor_id: int, client_id: int, reference: str, audience: str,
                  file_format: str, locale: str) -> Export:
    """Export one client's submitted responses, as the given audience may see them."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown export format {file_format!r}")
    as_of = utcnow()
    audit.record("export.client", actor_id, client_id,
                 detail=f"format={file_format} labels={locale}")
    rows = export_rows(labels_in(locale), audience, as_of, client_id=client_id)
    meta = {"export": "client", "exported_at": iso_utc(as_of), "labels_locale": locale,
            "consent": consent_choices(client_id)}
    return _export(f"intake-client-{_safe_for_filename(reference)}", file_format, rows, meta,
                   as_of)
