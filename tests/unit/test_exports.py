"""The pieces of an export and of an erasure, one at a time."""

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from intake.answers.stored import StoredAnswer
from intake.brief import Audience
from intake.extensions import db
from intake.models import Client
from intake.practice import erasure
from intake.reports import exports
from intake.reports.exports import COLUMNS, ExportRow, Period


def row(**overrides) -> ExportRow:
    values = {
        "client_reference": "C-0001", "response_id": 7, "questionnaire": "intake",
        "questionnaire_version": 1, "response_locale": "es",
        "submitted_at": "2026-03-10T09:30:00Z", "question": "goal_1",
        "question_label": "Goal", "answer_code": None, "answer_number": None,
        "answer_label": "", "text": "Dormir mejor", "text_locale": "es",
    }
    return ExportRow(**{**values, **overrides})


def read_csv(chunks) -> list[list[str]]:
    text = "".join(chunks)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_the_columns_are_the_rows_fields():
    assert ExportRow._fields == COLUMNS


@pytest.mark.parametrize(("cell", "expected"), [
    ("=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")"),
    ("+1", "'+1"),
    ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("Dormir mejor", "Dormir mejor"),
    ("a=1", "a=1"),
    ("", ""),
    ("أريد أن أنام", "أريد أن أنام"),
    ("'already", "'already"),
])
def test_a_would_be_formula_is_made_inert(cell, expected):
    assert exports.neutralise(cell) == expected


def test_csv_neutralises_every_text_column_and_keeps_numbers_as_numbers():
    hostile = row(client_reference="=cmd", question_label="-label", answer_code="+code",
                  answer_number=-3, answer_label="@label", text="=1+1", text_locale="es")
    (header, cells) = read_csv(exports.csv_chunks([hostile]))
    assert header == list(COLUMNS)
    values = dict(zip(header, cells, strict=True))
    assert values["client_reference"] == "'=cmd"
    assert values["question_label"] == "'-label"
    assert values["answer_code"] == "'+code"
    assert values["answer_label"] == "'@label"
    assert values["text"] == "'=1+1"
    assert values["answer_number"] == "-3"  # the numeric column: a number, as a number
    assert values["response_id"] == "7"


def test_csv_quotes_only_what_needs_it_and_keeps_text_whole():
    text = 'He said "no",\nthen left; 😶‍🌫️ \u202eevil'
    raw = "".join(exports.csv_chunks([row(text=text, answer_number=4)]))
    assert raw.startswith("\ufeffclient_reference,response_id,")
    assert raw.endswith("\r\n")
    assert ",4," in raw  # unquoted number
    (_header, cells) = read_csv([raw])
    assert cells[COLUMNS.index("text")] == text
    assert cells[COLUMNS.index("answer_code")] == ""  # None is an empty cell


def test_csv_comes_in_chunks_that_add_up_to_one_file():
    many = [row(response_id=number, text=f"text {number}") for number in range(1234)]
    chunks = list(exports.csv_chunks(many))
    assert len(chunks) == 3
    parsed = read_csv(chunks)
    assert len(parsed) == 1 + 1234
    assert parsed[-1][COLUMNS.index("text")] == "text 1233"
    assert read_csv(exports.csv_chunks([])) == [list(COLUMNS)]


@pytest.mark.parametrize("count", [0, 1, 2, 1234])
def test_json_is_one_valid_document_in_chunks(count):
    rows = [row(response_id=number, answer_number=number, text="=1+1 \"quoted\"")
            for number in range(count)]
    meta = {"export": "responses", "labels_locale": "ar"}
    document = json.loads("".join(exports.json_chunks(rows, meta)))
    assert document["export"] == "responses" and document["labels_locale"] == "ar"
    assert len(document["answers"]) == count
    if count:
        assert document["answers"][-1]["answer_number"] == count - 1
        assert document["answers"][0]["text"] == "=1+1 \"quoted\""  # as written
        assert list(document["answers"][0]) == list(COLUMNS)
    assert json.loads("".join(exports.json_chunks([], {}))) == {"answers": []}


def test_times_are_iso_8601_in_utc():
    from zoneinfo import ZoneInfo

    at = datetime(2026, 11, 26, 8, 5, 9, 123456, tzinfo=ZoneInfo("America/Chicago"))
    assert exports.iso_utc(at) == "2026-11-26T14:05:09Z"


def test_a_period_is_whole_days_in_utc():
    assert Period().bounds() == (None, None)
    start, end = Period(date(2026, 5, 2), date(2026, 5, 2)).bounds()
    assert start == datetime(2026, 5, 2, tzinfo=UTC)
    assert end == datetime(2026, 5, 3, tzinfo=UTC)
    assert Period(until=date.max).bounds() == (None, None)  # no day after the last one
    assert Period(date(2026, 1, 1)).describe() == "from=2026-01-01"
    assert Period(date(2026, 1, 1), date(2026, 2, 1)).describe() == (
        "from=2026-01-01 to=2026-02-01")


def stored(question: str, code=None, number=None, text=None) -> StoredAnswer:
    return StoredAnswer(1, question, 0, code, number, text, "en" if text else None)


@pytest.mark.parametrize(("locale", "court", "rather_not_say"), [
    ("en", "A court or probation officer", "Preferred not to say"),
    ("es", "Un juzgado o un agente de libertad condicional", "Prefirió no decirlo"),
    ("ar", "المحكمة أو ضابط المراقبة القضائية", "تفضيل عدم الإجابة"),
])
def test_labels_are_rendered_in_the_chosen_language_only(app, locale, court, rather_not_say):
    with app.test_request_context(headers={"Accept-Language": "zh-Hans"}):
        labels = exports.labels_in(locale)
        assert labels.answer("intake", 2, stored("whose_idea", code="court")) == court
        assert labels.answer("intake", 2, stored("judgement_worry", code="rather_not_say")) == (
            rather_not_say)
        assert labels.answer("intake", 2, stored("wants_to_be_here", number=7)) == "7"
        assert labels.answer("intake", 2, stored("goal_1", text="Sleep")) == ""
        # Unknown to the declarations: shown by its key.
        assert labels.answer("intake", 2, stored("whose_idea", code="unknown_code")) == (
            "unknown_code")
        assert labels.question("intake", 2, "unknown_question") == "unknown_question"
        # The request's own language is untouched afterwards.
        from flask_babel import get_locale
        assert str(get_locale()) == "zh_Hans"


def test_rows_follow_the_declared_order_and_hide_what_the_therapist_may_not_see(
    app, make_client, make_response
):
    someone = make_client()
    make_response(someone, "periodic", {"room_problems": ["noisy", "too_cold"],
                                        "prefer_different_therapist": "yes",
                                        "thinking_of_stopping": "no"})
    with app.test_request_context():
        labels = exports.labels_in("en")
        now = datetime.now(UTC) + timedelta(seconds=1)
        everything = list(exports.export_rows(labels, Audience.COORDINATOR, now))
        assert [(r.question, r.answer_code) for r in everything] == [
            ("thinking_of_stopping", "no"), ("prefer_different_therapist", "yes"),
            ("room_problems", "noisy"), ("room_problems", "too_cold")]
        for_therapist = list(exports.export_rows(labels, Audience.THERAPIST, now,
                                                 client_id=someone.id))
        assert "prefer_different_therapist" not in {r.question for r in for_therapist}
        assert exports.count_answers(now) == 4
        # Nothing submitted after the export began.
        assert list(exports.export_rows(labels, "coordinator",
                                        now - timedelta(days=1))) == []
        with pytest.raises(ValueError):
            list(exports.export_rows(labels, "everyone", now))


def test_an_unknown_format_is_refused_before_anything_is_recorded(app):
    with app.test_request_context(), pytest.raises(ValueError):
        exports.export_responses(1, "xlsx", "en")


def test_erasure_knows_every_table_that_points_at_a_client(app):
    with app.app_context():
        found = {(table.name, column.name, ondelete)
                 for table, column, ondelete in erasure.client_references()}
    assert {
        ("appointment", "client_id", "CASCADE"), ("check_in", "client_id", "CASCADE"),
        ("response", "client_id", "CASCADE"), ("alert", "client_id", "CASCADE"),
        ("client_view", "client_id", "CASCADE"), ("audit_event", "client_id", "SET NULL"),
    } <= found


def test_erasure_orders_dependent_tables_first(app):
    """A response goes before its check-in, a check-in before its appointment."""
    with app.app_context():
        order = [table.name for table, _column, _ondelete in erasure.client_references()]
    assert order.index("response") < order.index("check_in") < order.index("appointment")


@pytest.mark.parametrize(("detail", "expected"), [
    ("reference=C-1 kind=judged", "reference=[erased] kind=judged"),
    ("reference=c-1", "reference=[erased]"),
    ("reference=C-12", "reference=C-12"),  # another client
    ("X-C-1", "X-[erased]"),
    ("from=3 to=4 appointments=1", "from=3 to=4 appointments=1"),
    ("", ""),
])
def test_erasure_takes_a_name_out_of_an_audit_detail(detail, expected):
    assert erasure.without_names(detail, ["C-1", ""]) == expected


def test_erasure_needs_the_exact_reference(app, make_client):
    someone = make_client(reference="Ref.01")
    with app.app_context():
        for typed in ("ref.01", "Ref.0", "Ref_01", "", "Ref.01x"):
            with pytest.raises(erasure.WrongReference):
                erasure.erase_client(None, someone.id, typed)
        with pytest.raises(erasure.NotFound):
            erasure.erase_client(None, 999_999, "Ref.01")
        assert db.session.scalar(select(Client.id).where(Client.id == someone.id))
        erasure.erase_client(None, someone.id, "  Ref.01 ")  # spaces around it are forgiven
        db.session.remove()
        assert db.session.get(Client, someone.id) is None


def test_the_summary_counts_what_would_go(app, make_client, make_response):
    someone = make_client()
    make_response(someone, "post_session", {"judged": "yes"})
    make_response(someone, "intake", {"goal_1": "x"})
    with app.app_context():
        assert erasure.summary(someone.id) == erasure.Summary(
            responses=2, drafts=0, check_ins=2, appointments=1, alerts=1)
        assert erasure.summary(999_999) == erasure.Summary(0, 0, 0, 0, 0)
