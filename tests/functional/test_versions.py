"""A questionnaire's wording is versioned: older responses keep the words they were answered
under, in the brief, the timeline and the exports.

Intake version 2 changed a real declaration: "beliefs" asks what worries the client instead
of what they think is true, and "whose_idea" offers child protection or social services.
Intake version 3 made "whose_idea" multiple choice and reworded "feelings_culture";
post-session version 2 reworded the ratings and retired "overall"; periodic version 2 says
who reads the answers about stopping and changing therapist.
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


def test_intake_is_at_version_3_and_remembers_versions_1_and_2():
    beliefs = REGISTRY["intake"].question("beliefs")
    assert REGISTRY["intake"].version == 3
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
    assert labels == {("1", OLD_QUESTION), ("3", NEW_QUESTION)}


def test_a_new_intake_asks_the_new_words_and_records_its_version(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="intake")
    kiosk.start(check_in.code)
    kiosk.answer({})
    _path, html = kiosk.current()
    assert NEW_QUESTION in html and OLD_QUESTION not in html
    kiosk.answer({"beliefs": ["quick_fix"]})
    kiosk.answer({})
    kiosk.answer({})
    _path, html = kiosk.current()
    assert "Child protection or social services" in html
    assert 'type="checkbox" name="whose_idea"' in html  # several answers from version 3
    with app.app_context():
        version = db.session.scalar(
            Response.__table__.select().with_only_columns(Response.version)
            .where(Response.check_in_id == check_in.id))
    assert version == 3


def test_a_single_answer_to_whose_idea_still_reads_after_it_became_multiple(
        app, client, login, make_staff, make_client, make_response):
    therapist = make_staff(Role.THERAPIST)
    old = make_client(therapist=therapist)
    answered_under(app, make_response(old, "intake", {"whose_idea": "court",
                                                      "feelings_culture": "discouraged"}), 2)
    login(therapist)
    html = client.get(f"/staff/clients/{old.id}").get_data(as_text=True)
    assert "A court or probation officer" in html
    assert "Sent by a court or social services" in html
    # Version 2's words, not version 3's.
    assert "Not done, or seen as wrong" in html and "No, it is not done" not in html


def test_post_session_2_keeps_version_1_and_its_retired_overall_rating(
        app, client, login, make_staff, make_client, make_response):
    post = REGISTRY["post_session"]
    assert post.version == 2 and len(post.steps) == 2
    assert "overall" not in {q.key for q in post.questions()}
    assert str(post.question("listened").label_at(1)) == "Did your therapist listen to you?"
    assert str(post.question("judged").label_at(2)) == (
        "Did you feel judged by your therapist today?")
    therapist = make_staff(Role.THERAPIST)
    someone = make_client(therapist=therapist)
    # A version 1 response that rated "overall": stored through the version it answered.
    response_id = make_response(someone, "post_session", {"listened": 9, "judged": "no"})
    with app.app_context():
        from intake.models import Answer

        db.session.add(Answer(response_id=response_id, question="overall", number=3))
        db.session.commit()
    answered_under(app, response_id, 1)
    login(therapist)
    html = client.get(f"/staff/clients/{someone.id}").get_data(as_text=True)
    assert "Did your therapist listen to you?" in html
    assert "Overall, how was today&#39;s meeting?" in html


def test_periodic_2_says_who_reads_and_remembers_the_coordinator(app):
    periodic = REGISTRY["periodic"]
    assert periodic.version == 2
    visibility = periodic.question("prefer_different_visibility")
    assert str(visibility.choice("coordinator").label_at(1)) == "Only the practice coordinator"
    assert str(visibility.choice("coordinator").label_at(2)) == "Only the practice office"
    assert "not your therapist" in str(periodic.question("prefer_different_therapist").hint)
    assert "Your therapist reads this" in str(periodic.question("thinking_of_stopping").hint)
