"""A therapist who cannot read a client's language is told so: in the brief, beside the
client's own words, and when a client in that language is given to them."""

import re

import pytest

from intake.extensions import db
from intake.models import Role, Staff
from tests.conftest import post

UNREAD = "which you have not said you read"


@pytest.fixture
def spanish_client(make_client, make_response, make_staff):
    therapist = make_staff(Role.THERAPIST, locale="en")
    someone = make_client(therapist=therapist, locale="es")
    make_response(someone, "intake", {"goal_1": "Dormir mejor"}, locale="es")
    return someone


def test_the_brief_marks_words_in_a_language_the_reader_does_not_read(
        app, client, login, spanish_client):
    login(spanish_client.therapist)
    page = client.get(f"/staff/clients/{spanish_client.id}").get_data(as_text=True)
    assert "Dormir mejor" in page
    assert "Written in Spanish, " + UNREAD in page


def test_a_reader_of_the_language_sees_no_mark(app, client, login, spanish_client):
    with app.app_context():
        db.session.get(Staff, spanish_client.therapist.id).reads = "es"
        db.session.commit()
    login(spanish_client.therapist)
    page = client.get(f"/staff/clients/{spanish_client.id}").get_data(as_text=True)
    assert "Dormir mejor" in page and UNREAD not in page


def test_an_admin_sets_the_languages_a_therapist_reads(app, client, login, make_staff,
                                                         spanish_client):
    admin = make_staff(Role.ADMIN)
    therapist = spanish_client.therapist
    login(admin)
    page = f"/staff/admin/staff/{therapist.id}"
    post(client, f"{page}/details", {"email": therapist.email, "name": "Tess",
                                     "locale": "en", "reads": ["es", "ar"]}, token_from=page)
    with app.app_context():
        assert db.session.get(Staff, therapist.id).reads == "es,ar"
    html = client.get(page).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="reads"[^>]*value="es"', html)
    assert not re.search(r'<input checked[^>]*name="reads"[^>]*value="zh_Hans"', html)


def test_staff_tell_languages_apart_by_a_name_they_can_read(client, login, make_staff):
    admin = make_staff(Role.ADMIN, locale="en")
    login(admin)
    html = client.get(f"/staff/admin/staff/{admin.id}").get_data(as_text=True)
    assert "Persian · فارسی" in html and "Urdu · اردو" in html and "Somali · Soomaali" in html
    assert ">English<" in html  # the page's own language is named once


def test_a_spanish_desk_reads_the_names_in_spanish(client, login, make_staff):
    login(make_staff(Role.ADMIN, locale="es"))
    html = client.get("/staff/clients/new").get_data(as_text=True)
    assert "Persa · فارسی" in html and ">Español<" in html


def test_the_command_line_takes_the_languages_read(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["staff", "add", "r@example.org", "--role", "therapist",
                                 "--reads", "es,ar"], env={"INTAKE_PASSWORD": "a long password"})
    assert result.exit_code == 0, result.output
    with app.app_context():
        from sqlalchemy import select
        assert db.session.scalar(select(Staff.reads).where(
            Staff.email == "r@example.org")) == "es,ar"
    refused = runner.invoke(args=["staff", "add", "s@example.org", "--role", "therapist",
                                  "--reads", "xx"], env={"INTAKE_PASSWORD": "a long password"})
    assert refused.exit_code != 0 and "xx" in refused.output


def test_adding_a_client_in_a_language_the_therapist_does_not_read_says_so_first(
        app, client, login, make_staff):
    from intake.models import Client

    therapist = make_staff(Role.THERAPIST, locale="en", name="Tess")
    login(make_staff(Role.FRONTDESK))
    data = {"reference": "AR-1", "therapist": therapist.email, "locale": "ar"}
    first = post(client, "/staff/clients/new", data, token_from="/staff/clients/new")
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and "Tess has not said they read Arabic" in html
    with app.app_context():
        assert db.session.query(Client).filter_by(reference="AR-1").count() == 0
    data["language_checked"] = "1"
    assert post(client, "/staff/clients/new", data,
                token_from="/staff/clients/new").status_code == 302
    with app.app_context():
        assert db.session.query(Client).filter_by(reference="AR-1").count() == 1


def test_giving_a_client_to_a_therapist_who_does_not_read_their_language_asks_again(
        app, client, login, make_staff, spanish_client):
    other = make_staff(Role.THERAPIST, locale="en", name="Omar")
    login(make_staff(Role.ADMIN))
    page = f"/staff/clients/{spanish_client.id}"
    post(client, f"/staff/admin/clients/{spanish_client.id}/therapist",
         {"therapist": str(other.id)}, token_from=page)
    assert "Omar has not said they read Spanish" in client.get(page).get_data(as_text=True)
    with app.app_context():
        from intake.models import Client
        assert db.session.get(Client, spanish_client.id).therapist_id != other.id
    post(client, f"/staff/admin/clients/{spanish_client.id}/therapist",
         {"therapist": str(other.id)}, token_from=page)
    with app.app_context():
        assert db.session.get(Client, spanish_client.id).therapist_id == other.id
