"""Submitted responses as FHIR R4 `QuestionnaireResponse` resources, and their exports.

- `questionnaire` is the canonical URL with the version answered (`...|2`); items nest in
  the groups of that version's Questionnaire (fhir_questionnaire.py); only answered
  questions appear, and only the groups that hold one.
- Choices are codings with their English display; a scale's number is `valueInteger`, and
  "I'd rather not say" on a scale the same coding as in its answer options; free text is
  `valueString`, opened from its seal.
- The client is the subject by identifier only: the practice's reference, under
  `{base}/fhir/client-reference`, which the record system matches to its patient.
- `language` is the language the client answered in (BCP 47).
- A therapist never gets the answers meant for the coordinator (as in the CSV export).
- The whole practice streams as NDJSON (one resource a line, the bulk-data format), one
  client as a transaction Bundle that a FHIR server takes in one POST, each response created
  once (`ifNoneExist` on its identifier). Both read the rows in batches, as exports.py does,
  and are audited before the first byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from itertools import groupby

from flask_babel import force_locale
from sqlalchemy import func, select

from ..answers import stored
from ..answers.stored import StoredAnswer, read_answers, values_of
from ..brief import Audience, visible_answers
from ..extensions import db
from ..models import Answer, Client, Response, utcnow
from ..practice import audit
from ..questionnaires import RATHER_NOT_SAY, REGISTRY, Condition, Kind, Question
from .exports import BATCH, Export, Period, _conditions, _safe_for_filename, iso_utc
from .fhir_questionnaire import (
    ENGLISH,
    FHIR_JSON,
    FHIR_NDJSON,
    canonical,
    code_system,
    enabled_when,
    groups_at,
    language_tag,
)


def client_system(base: str) -> str:
    """Return the identifier system of the practice's client references."""
    return f"{base}/fhir/client-reference"


def response_system(base: str) -> str:
    """Return the identifier system of this practice's responses."""
    return f"{base}/fhir/response"


class Shapes:
    """The groups and English words of each questionnaire version, said once per export."""

    def __init__(self, base: str):
        self.base = base
        self._groups: dict[tuple[str, int], list] = {}
        self._said: dict[tuple, str] = {}

    def groups(self, key: str, version: int) -> list[tuple[str, tuple, Condition | None]]:
        """Return each group's linkId, questions and the condition of its enableWhen."""
        found = self._groups.get((key, version))
        if found is None:
            declared = REGISTRY.get(key)
            found = self._groups[key, version] = [
                (group.link_id, group.questions, enabled_when(declared, version, group))
                for group in (groups_at(declared, version) if declared else ())]
        return found

    def text(self, key: str, version: int, question: Question) -> str:
        return self._say((key, version, question.key), lambda: question.label_at(version))

    def display(self, key: str, version: int, question: Question, code: str) -> str | None:
        choice = question.choice(code)
        if choice is None:
            return None
        return self._say((key, version, question.key, code), lambda: choice.label_at(version))

    def _say(self, key: tuple, say) -> str:
        found = self._said.get(key)
        if found is None:
            with force_locale(ENGLISH):
                found = self._said[key] = str(say())
        return found


def response_resource(shapes: Shapes, response_id: int, reference: str, key: str,
                      version: int, locale: str, submitted_at: datetime,
                      answers: list[StoredAnswer], audience: Audience) -> dict:
    """Return one submitted response as a QuestionnaireResponse."""
    base = shapes.base
    shown = visible_answers(key, values_of(key, answers), audience)
    by_question: dict[str, list[StoredAnswer]] = {}
    for answer in sorted(answers, key=lambda a: (a.question, a.position)):
        if answer.question in shown:
            by_question.setdefault(answer.question, []).append(answer)
    items = []
    for link_id, questions, condition in shapes.groups(key, version):
        if condition is not None and not condition.holds(shown):
            # Left over from an answer the client changed afterwards (the step was no longer
            # shown): FHIR forbids answers in a group its enableWhen disables.
            continue
        # An answer to a question this version did not ask has no item to go in: left out.
        children = [
            {"linkId": question.key, "text": shapes.text(key, version, question),
             "answer": values}
            for question in questions
            if (values := [value for answer in by_question.get(question.key, ())
                           if (value := _value(shapes, key, version, question, answer))])]
        if children:
            items.append({"linkId": link_id, "item": children})
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": f"intake-response-{response_id}",
        "language": language_tag(locale),
        "identifier": {"system": response_system(base), "value": str(response_id)},
        "questionnaire": f"{canonical(base, key)}|{version}",
        "status": "completed",
        "subject": {"identifier": {"system": client_system(base), "value": reference}},
        "authored": iso_utc(submitted_at),
    }
    if items:
        resource["item"] = items
    return resource


def _value(shapes: Shapes, key: str, version: int, question: Question,
           answer: StoredAnswer) -> dict | None:
    if question.kind.is_text:  # FHIR has no empty string; none is stored, but never send one
        return {"valueString": answer.text} if answer.text else None
    if question.kind is Kind.SCALE and answer.number is not None:
        return {"valueInteger": answer.number}
    code = answer.code or RATHER_NOT_SAY
    coding = {"system": code_system(shapes.base, key, question.key), "code": code}
    display = shapes.display(key, version, question, code)
    if display is not None:
        coding["display"] = display
    return {"valueCoding": coding}


# Reading

_HEAD = 6  # the columns before the answer's


def response_resources(base: str, audience: str, as_of: datetime, period: Period | None = None,
                       client_id: int | None = None) -> Iterator[dict]:
    """Yield every submitted response as this audience may see it, in one batched query."""
    audience = Audience(audience)
    statement = (
        select(Response.id, Client.reference, Response.questionnaire, Response.version,
               Response.locale, Response.submitted_at, *stored.COLUMNS)
        .join(Client, Client.id == Response.client_id)
        # A response whose questions were all skipped is still a completed response.
        .outerjoin(Answer, Answer.response_id == Response.id)
        .where(*_conditions(as_of, period or Period(), client_id))
        .order_by(Response.submitted_at, Response.id)
    )
    shapes = Shapes(base)
    result = db.session.execute(statement, execution_options={"yield_per": BATCH})
    for _response_id, grouped in groupby(result, key=lambda row: row[0]):
        rows = list(grouped)
        response_id, reference, key, version, locale, submitted_at = rows[0][:_HEAD]
        if key not in REGISTRY:
            continue  # nothing to answer to: no Questionnaire declares it
        yield response_resource(shapes, response_id, reference, key, version, locale,
                                submitted_at, list(read_answers(rows, start=_HEAD)), audience)


def count_responses(as_of: datetime, period: Period | None = None,
                    client_id: int | None = None) -> int:
    conditions = _conditions(as_of, period or Period(), client_id)
    return db.session.scalar(select(func.count(Response.id)).where(*conditions)) or 0


# Writing


def one_line(resource: dict) -> str:
    """Return a resource as compact JSON on one line, whatever its text holds.

    NEL and the line and paragraph separators are valid inside a JSON string but break lines
    for many readers (Python's splitlines, older JavaScript); a client's text may hold them.
    """
    line = json.dumps(resource, ensure_ascii=False, separators=(",", ":"))
    # str.replace is several times faster than str.translate with a table here.
    return line.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace(
        "\u2029", "\\u2029")


def ndjson_chunks(resources: Iterator[dict]) -> Iterator[str]:
    """Yield one resource a line, in chunks of BATCH lines."""
    chunk: list[str] = []
    for resource in resources:
        chunk.append(one_line(resource) + "\n")
        if len(chunk) == BATCH:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def bundle_chunks(base: str, resources: Iterator[dict], as_of: datetime) -> Iterator[str]:
    """Yield a transaction Bundle that creates each response once, in chunks."""
    head = {"resourceType": "Bundle", "type": "transaction", "timestamp": iso_utc(as_of)}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "entry": ['
    for number, resource in enumerate(resources):
        identifier = resource["identifier"]
        entry = {"fullUrl": f"{base}/fhir/QuestionnaireResponse/{resource['id']}",
                 "resource": resource,
                 "request": {"method": "POST", "url": "QuestionnaireResponse",
                             "ifNoneExist": f"identifier={identifier['system']}|"
                                            f"{identifier['value']}"}}
        yield ("," if number else "") + "\n" + one_line(entry)
    yield "\n]}\n"


# Exports, each an audit event


def export_responses(actor_id: int | None, base: str, period: Period | None = None,
                     via: str = "web") -> Export:
    """Export every client's submitted responses as NDJSON (the coordinator's: all of them)."""
    as_of = utcnow()
    period = period or Period()
    count = count_responses(as_of, period)
    detail = f"format=fhir responses={count} via={via} {period.describe()}"
    audit.record("export.responses", actor_id, detail=detail.strip())
    resources = response_resources(base, Audience.COORDINATOR, as_of, period)
    return Export(filename=f"intake-responses-{as_of.date().isoformat()}.ndjson",
                  mimetype=FHIR_NDJSON, chunks=ndjson_chunks(resources))


def export_client(actor_id: int, base: str, client_id: int, reference: str,
                  audience: str) -> Export:
    """Export one client's submitted responses as a Bundle, as this audience may see them."""
    as_of = utcnow()
    audit.record("export.client", actor_id, client_id, detail="format=fhir")
    resources = response_resources(base, audience, as_of, client_id=client_id)
    return Export(
        filename=f"intake-client-{_safe_for_filename(reference)}-{as_of.date().isoformat()}"
                 ".fhir.json",
        mimetype=FHIR_JSON, chunks=bundle_chunks(base, resources, as_of))
