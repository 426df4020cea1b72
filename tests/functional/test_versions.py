"""A questionnaire's wording is versioned: older responses keep the words they were answered
under, in the brief, the timeline and the exports.

Intake version 2 changed a real declaration: "beliefs" asks what worries the client instead
of what they think is true, and "whose_idea" offers child protection or social services.
"""

import csv
import io
from datetime import timedelta

from sqlalchemy import update

from intake.extensions import db
from intake.models import Response, Role, utcnow
from intake.questionnaires import REGISTRY
from tests.conftest import post

OLD_QUESTION = "Which of these do you think are true?"
NEW_QUESTION = "Do any of these worry you?"


def answered_under(app, response_id: int, version: int) -> None:
    with app.app_context():
        db.session.execute(update(Response).where(Response.id == response_id)
                           .values(version=version))
        db.session.commit()


def test_intake_is_at_version_2_and_remembers_version_1():
    beliefs = REGISTRY["intake"].question("beliefs")
    assert REGISTRY["intake"].version == 2
    assert str(beliefs.label_at(1)) == OLD_QUESTION
    assert str(beliefs.label_at(2)) == NEW_QUESTION
    whose = REGISTRY["intake"].question("whose_idea")
    assert "social_services" not in {c.code for c in whose.choices_at(1)}
    assert "social_services" in {c.code for c in whose.choices_at(2)}


def test_each_response_shows_the_words_it_was_answered_under(app, client, login, make_staff,
                                                             make_client, make_response):
    therapist = make_staff(Role.THERAPIST)
    old, new = make_client(therapist=therapist), make_client(therapist=therapist)
    answered_under(app, make_response(old, "intake", {"beliefs": ["quick_fix"]},
                                      when=utcnow() - timedelta(days=400)), 1)
    make_response(new, "intake", {"beliefs": ["quick_fix"], "whose_idea": "social_services"})
    login(therapist)
    old_brief = client.get(f"/staff/clients/{old.id}").get_data(as_text=True)
    assert OLD_QUESTION in old_brief and NEW_QUESTION not in old_brief
    new_brief = client.get(f"/staff/clients/{new.id}").get_data(as_text=True)
    assert NEW_QUESTION in new_brief and OLD_QUESTION not in new_brief
    assert "Child protection or social services" in new_brief


def test_exports_label_each_response_with_its_own_version(app, client, login, make_staff,
                                                          make_client, make_response):
    someone = make_client()
    old_id = make_response(someone, "intake", {"beliefs": ["quick_fix"]},
                           when=utcnow() - timedelta(days=400))
    answered_under(app, old_id, 1)
    make_response(someone, "intake", {"beliefs": ["quick_fix"]})
    login(make_staff(Role.ADMIN))
    response = post(client, "/staff/exports", {"format": "csv", "locale": "en"},
                    token_from="/staff/exports")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    labels = {(row["questionnaire_version"], row["question_label"]) for row in rows
              if row["question"] == "beliefs"}
    assert labels == {("1", OLD_QUESTION), ("2", NEW_QUESTION)}


def test_a_new_intake_asks_the_new_words_and_records_its_version(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="intake")
    kiosk.start(check_in.code)
    kiosk.answer({})
    _path, html = kiosk.current()
    assert NEW_QUESTION in html and OLD_QUESTION not in html
    kiosk.answer({"beliefs": ["quick_fix"]})
    kiosk.answer({})
    _path, html = kiosk.current()
    assert "Child protection or social services" in html
    with app.app_context():
        version = db.session.scalar(
            Response.__table__.select().with_only_columns(Response.version)
            .where(Response.check_in_id == check_in.id))
    assert version == 2
