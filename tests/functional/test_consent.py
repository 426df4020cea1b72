"""Consent before the first question: who reads the answers, when, for how long, and the
practice's limits of confidentiality; the client's choice is kept with its time and version.
"""

import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.models import Answer, AuditEvent, Consent, Role
from intake.practice import consent
from tests.conftest import Kiosk, post

LOCALES = {"en": "ltr", "es": "ltr", "ar": "rtl", "zh_Hans": "ltr"}


def consents(app, client_id):
    with app.app_context():
        rows = db.session.scalars(select(Consent).where(Consent.client_id == client_id)
                                  .order_by(Consent.id)).all()
        db.session.expunge_all()
        return rows


@pytest.fixture
def new_client(make_client):
    """A client who has never seen the consent page."""
    return make_client(consented=False)


def test_the_consent_page_comes_before_the_first_step(app, kiosk, make_check_in, new_client):
    kiosk.start(make_check_in(client=new_client, questionnaire="intake").code)
    path, html = kiosk.current()
    assert path == "/consent"
    for words in ("Who reads your answers", "before your next meeting",
                  "How long we keep them", "a court orders it", "You can stop at any time"):
        assert words in html
    # No step opens, and nothing is saved, before the client chooses.
    assert kiosk.client.get("/checkin/expectations").headers["Location"] == "/consent"
    response = kiosk.client.post("/checkin/expectations", data={"expected_length": "few"})
    assert response.status_code in (302, 400)
    with app.app_context():
        assert db.session.scalar(select(Answer.id)) is None
    assert consents(app, new_client.id) == []


def test_continuing_is_recorded_with_its_time_and_version_and_the_steps_follow(
        app, kiosk, make_check_in, new_client):
    kiosk.choose_language("es")
    kiosk.start(make_check_in(client=new_client, questionnaire="intake").code)
    response = post(kiosk.client, "/consent", {"choice": "accepted"}, token_from="/consent")
    assert response.headers["Location"] == "/checkin"
    path, _html = kiosk.current()
    assert path == "/checkin/expectations"
    (row,) = consents(app, new_client.id)
    assert (row.choice, row.text_version, row.locale) == ("accepted", consent.TEXT_VERSION, "es")
    assert row.at is not None and row.limits_changed_at is None
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.detail).where(
            AuditEvent.client_id == new_client.id, AuditEvent.action == "consent.accepted")
        ) == f"version {consent.TEXT_VERSION}"


def test_a_client_who_consented_is_not_asked_again(kiosk, make_check_in, new_client):
    kiosk.start(make_check_in(client=new_client, questionnaire="intake").code)
    post(kiosk.client, "/consent", {"choice": "accepted"}, token_from="/consent")
    kiosk.client.get("/done")
    kiosk.start(make_check_in(client=new_client, questionnaire="pre_session").code)
    path, _html = kiosk.current()
    assert path == "/checkin/today"


def test_stopping_is_recorded_ends_the_visit_and_asks_again_next_time(
        app, kiosk, make_check_in, new_client):
    check_in = make_check_in(client=new_client, questionnaire="intake")
    kiosk.start(check_in.code)
    response = post(kiosk.client, "/consent", {"choice": "declined"}, token_from="/consent")
    assert response.headers["Location"] == "/"
    assert "You chose to stop" in kiosk.client.get("/").get_data(as_text=True)
    assert [row.choice for row in consents(app, new_client.id)] == ["declined"]
    kiosk.start(check_in.code)
    path, _html = kiosk.current()
    assert path == "/consent"


def test_the_choice_needs_the_csrf_token(app, kiosk, make_check_in, new_client):
    kiosk.start(make_check_in(client=new_client, questionnaire="intake").code)
    response = kiosk.client.post("/consent", data={"choice": "accepted"})
    assert response.status_code == 400
    assert consents(app, new_client.id) == []


def test_an_unknown_choice_records_nothing(app, kiosk, make_check_in, new_client):
    kiosk.start(make_check_in(client=new_client, questionnaire="intake").code)
    post(kiosk.client, "/consent", {"choice": "maybe"}, token_from="/consent")
    assert consents(app, new_client.id) == []


def test_without_a_visit_the_consent_page_goes_back_to_the_start(kiosk):
    assert kiosk.client.get("/consent").headers["Location"] == "/checkin"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_consent_page_in_every_locale(kiosk, make_check_in, make_client, locale):
    someone = make_client(locale=locale, consented=False)
    kiosk.start(make_check_in(client=someone, questionnaire="intake").code)
    html = kiosk.client.get("/consent").get_data(as_text=True)
    assert f'<html lang="{locale.replace("_", "-")}" dir="{LOCALES[locale]}">' in html
    assert 'name="choice" value="accepted"' in html


def test_what_to_expect_no_longer_overpromises(kiosk):
    html = kiosk.client.get("/what-to-expect").get_data(as_text=True)
    assert "They will not tell your family, your employer or anyone else" not in html
    assert "Most of the time, they will not tell anyone." in html
    assert "a court orders it" in html


def test_the_admin_writes_the_limits_per_language(app, client, login, make_staff, kiosk,
                                                  make_check_in, make_client):
    login(make_staff(Role.ADMIN))
    page = client.get("/staff/admin/settings").get_data(as_text=True)
    assert "Limits of confidentiality" in page and 'name="limits_ar"' in page
    own = "We tell the court only whether you came to your meetings."
    response = post(client, "/staff/admin/settings/confidentiality",
                    {"limits_en": own, "limits_es": "", "limits_ar": "", "limits_zh_Hans": ""},
                    token_from="/staff/admin/settings")
    assert response.status_code == 302
    with app.app_context():
        text, changed_at = consent.limits("en")
        assert text == own and changed_at is not None
        assert consent.limits("es")[1] is None  # still the default, translated
        assert db.session.scalar(select(AuditEvent.detail).where(
            AuditEvent.action == "practice.confidentiality_limits")) == "en"
    someone = make_client(consented=False)
    kiosk.start(make_check_in(client=someone, questionnaire="intake").code)
    assert own in kiosk.client.get("/consent").get_data(as_text=True)
    post(kiosk.client, "/consent", {"choice": "accepted"}, token_from="/consent")
    (row,) = consents(app, someone.id)
    assert row.limits_changed_at is not None


def test_limits_too_long_are_refused(app, client, login, make_staff):
    login(make_staff(Role.ADMIN))
    response = post(client, "/staff/admin/settings/confidentiality",
                    {"limits_en": "x" * (consent.LIMITS_MAX + 1)},
                    token_from="/staff/admin/settings")
    assert response.status_code == 302
    with app.app_context():
        assert consent.limits("en")[1] is None


def test_only_an_admin_edits_the_limits(client, login, make_staff):
    login(make_staff(Role.THERAPIST))
    response = post(client, "/staff/admin/settings/confidentiality", {"limits_en": "x"},
                    token_from="/staff/")
    assert response.status_code == 404


def test_the_client_page_says_what_the_client_chose(app, client, login, make_staff,
                                                    make_client, make_check_in):
    therapist = make_staff(Role.THERAPIST)
    someone = make_client(therapist=therapist, consented=False)
    login(therapist)
    assert "Has not read the consent page yet." in client.get(
        f"/staff/clients/{someone.id}").get_data(as_text=True)
    tablet = Kiosk(app.test_client())
    tablet.start(make_check_in(client=someone, questionnaire="intake").code)
    post(tablet.client, "/consent", {"choice": "declined"}, token_from="/consent")
    # The page is kept, but a choice raises the clients topic: the same address shows it.
    html = client.get(f"/staff/clients/{someone.id}").get_data(as_text=True)
    assert "Read the consent page and chose to stop" in html
