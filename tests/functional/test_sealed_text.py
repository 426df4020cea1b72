"""Free text at rest: sealed in the database, readable in the app, rotated without loss,
and a calm page (never the wrong words) when a key is missing or a text was moved."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from intake import create_app
from intake.extensions import db
from intake.infra import key_rotation, sealing
from intake.infra.database import write_transaction
from intake.models import Answer, AuditEvent, Role, Staff, utcnow
from intake.practice import two_factor
from tests import databases
from tests.conftest import export_client, post, settings

WORDS = "My sister must never know about this"


@pytest.fixture
def app_config(tmp_path) -> dict:
    """A key file of each test's own: these tests add, remove and retire keys."""
    return {"TEXT_KEYS_FILE": str(tmp_path / "text_keys")}


@pytest.fixture
def therapist(make_staff):
    return make_staff(Role.THERAPIST, locale="en")


def brief(client, someone):
    return client.get(f"/staff/clients/{someone.id}")


def stored_texts(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(Answer.text, Answer.sealed_with).where(Answer.text.is_not(None))).all()
        db.session.remove()
    return rows


def test_what_a_client_types_is_sealed_in_the_database_and_shown_to_the_therapist(
    app, client, kiosk, login, make_check_in, therapist, make_client
):
    someone = make_client(therapist=therapist)
    check_in = make_check_in(client=someone, questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "4"})
    kiosk.answer({"talk_about": WORDS, "hard_to_say": "Lo de mi madre"})
    kiosk.answer({"room_wishes": ["nothing"]})
    texts = stored_texts(app)
    assert len(texts) == 2
    assert all(WORDS not in sealed and "madre" not in sealed and key for sealed, key in texts)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            database = Path(db.engine.url.database)
            for path in (database, Path(f"{database}-wal")):
                if path.exists():
                    assert WORDS.encode() not in path.read_bytes(), path
        db.session.remove()
    login(therapist)
    assert WORDS in brief(client, someone).get_data(as_text=True)


def test_the_database_refuses_a_text_that_is_not_sealed(app, make_client, make_response):
    response_id = make_response(make_client(), "pre_session", {"feeling_today": 3})
    with app.app_context(), pytest.raises(IntegrityError), write_transaction() as session:
        session.add(Answer(response_id=response_id, question="talk_about", text=WORDS))
    with app.app_context(), pytest.raises(IntegrityError), write_transaction() as session:
        session.execute(update(Answer).values(text=WORDS, sealed_with=None))


def test_a_text_moved_to_another_clients_row_is_never_shown(
    app, client, login, therapist, make_client, make_response, caplog
):
    mine, theirs = make_client(therapist=therapist), make_client(therapist=therapist)
    make_response(theirs, "pre_session", {"talk_about": WORDS})
    make_response(mine, "pre_session", {"talk_about": "Work"})
    with app.app_context(), write_transaction() as session:
        (their_text, key), (my_id,) = (
            session.execute(select(Answer.text, Answer.sealed_with).where(
                Answer.question == "talk_about").order_by(Answer.id).limit(1)).one(),
            session.execute(select(Answer.id).where(Answer.question == "talk_about")
                            .order_by(Answer.id.desc()).limit(1)).one())
        session.execute(update(Answer).where(Answer.id == my_id)
                        .values(text=their_text, sealed_with=key))
    login(therapist)
    with caplog.at_level(logging.ERROR):
        response = brief(client, mine)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert WORDS not in page and "Nothing you saved is lost" in page
    assert WORDS not in caplog.text and "sealed text unavailable" in caplog.text
    assert brief(client, theirs).status_code == 200


def test_rotating_the_key_loses_nothing_even_when_stopped_half_way(
    app, client, login, therapist, make_client, make_response, monkeypatch
):
    someone = make_client(therapist=therapist)
    for n in range(5):
        make_response(someone, "pre_session", {"talk_about": f"{WORDS} #{n}"})
    with app.app_context():
        old = sealing.keyring().current
        new = sealing.add_key(Path(app.config["TEXT_KEYS_FILE"]))
        sealing.keyring().reload()
        real_seal, calls = sealing.Keyring.seal, []

        def stops_after_three(ring, *args):
            calls.append(1)
            if len(calls) > 3:
                raise SystemExit("worker killed")
            return real_seal(ring, *args)

        monkeypatch.setattr(sealing.Keyring, "seal", stops_after_three)
        with pytest.raises(SystemExit):
            key_rotation.reseal(batch=2)
        monkeypatch.setattr(sealing.Keyring, "seal", real_seal)
        assert key_rotation.texts_per_key() == {new: 2, old: 3}
        db.session.remove()
    login(therapist)
    html = brief(client, someone).get_data(as_text=True)
    assert all(f"{WORDS} #{n}" in html for n in range(5))
    with app.app_context():
        with pytest.raises(sealing.KeyFileError):
            key_rotation.retire(old)  # three texts still need it
        assert key_rotation.reseal() == 3
        key_rotation.retire(old)
        assert [key_id for key_id, _ in sealing.read_key_file(sealing.keyring().path)] == [new]
        db.session.remove()
    html = brief(client, someone).get_data(as_text=True)
    assert all(f"{WORDS} #{n}" in html for n in range(5))


def test_without_its_key_file_the_app_answers_calmly_and_saves_nothing(
    app, kiosk, make_check_in, tmp_path
):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "4"})
    app.config["TEXT_KEYS_FILE"] = str(tmp_path / "moved-away")
    app.extensions["intake.keyring"] = None
    response = kiosk.answer({"talk_about": WORDS})
    assert response.status_code == 503
    assert "Nothing you saved is lost" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Answer.number).where(
            Answer.question == "feeling_today")) == 4
        assert db.session.scalar(select(Answer.id).where(Answer.question == "talk_about")) is None
        db.session.remove()


def test_in_production_a_missing_key_file_is_never_replaced_by_a_new_key(tmp_path, caplog):
    missing = tmp_path / "text_keys"
    with caplog.at_level(logging.ERROR):
        app = create_app(settings(f"sqlite:///{tmp_path / 'unused.sqlite'}", ENV="production",
                                  BASE_URL="https://checkin.example.org",
                                  TEXT_KEYS_FILE=str(missing)))
    assert not missing.exists()
    assert "no text key file" in caplog.text
    with app.app_context(), pytest.raises(sealing.KeyFileError):
        sealing.keyring()


def test_the_migration_seals_texts_written_before_it_and_its_downgrade_opens_them(tmp_path):
    url = databases.template_url(tmp_path, purpose="sealing")
    app = create_app(settings(url))
    try:
        with app.app_context():
            upgrade(revision="0003")
            with db.engine.begin() as connection:
                for statement in (
                    "INSERT INTO staff (id, email, name, role, password_hash, is_enabled, "
                    "failed_logins, created_at) VALUES (1, 't@example.org', '', 'therapist', "
                    "'x', true, 0, CURRENT_TIMESTAMP)",
                    "INSERT INTO client (id, reference, therapist_id, locale, created_at) "
                    "VALUES (1, 'C-1', 1, 'en', CURRENT_TIMESTAMP)",
                    "INSERT INTO check_in (id, client_id, questionnaire, code, link_nonce, "
                    "created_at, expires_at) VALUES (1, 1, 'pre_session', 'ABCDEF', 'n', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                    "INSERT INTO response (id, check_in_id, client_id, questionnaire, version, "
                    "locale, step, created_at, updated_at) VALUES (1, 1, 1, 'pre_session', 1, "
                    "'en', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                ):
                    connection.execute(text(statement))
                connection.execute(text(
                    "INSERT INTO answer (response_id, question, position, text, text_locale) "
                    "VALUES (1, 'talk_about', 0, :words, 'en')"), {"words": WORDS})
            upgrade()
            row = db.session.execute(select(Answer)).scalar_one()
            assert row.text != WORDS and row.sealed_with == sealing.keyring().current
            assert row.written() == WORDS
            db.session.remove()
            downgrade(revision="0003")
            with db.engine.connect() as connection:
                assert connection.execute(text("SELECT text FROM answer")).scalar() == WORDS
            db.engine.dispose()
    finally:
        databases.drop(url)


def test_an_export_without_a_key_is_a_calm_page_not_a_cut_file(
    app, client, login, make_staff, make_client, make_response
):
    admin = make_staff(Role.ADMIN)
    someone = make_client()
    make_response(someone, "pre_session", {"talk_about": WORDS})
    with app.app_context():
        path = Path(app.config["TEXT_KEYS_FILE"])
        saved = path.read_text()
        old = sealing.keyring().current
        sealing.add_key(path)
        sealing.remove_key(path, old)
        sealing.keyring().reload()
    try:
        login(admin)
        response = export_client(client, f"/staff/clients/{someone.id}", "csv")
        assert response.status_code == 503
        assert "Nothing you saved is lost" in response.get_data(as_text=True)
        with app.app_context():
            actions = list(db.session.scalars(select(AuditEvent.action)))
            db.session.remove()
        assert "export.client" not in actions
    finally:
        path.write_text(saved)
        with app.app_context():
            sealing.keyring().reload()
    response = export_client(client, f"/staff/clients/{someone.id}", "csv")
    assert response.status_code == 200 and WORDS in response.get_data(as_text=True)


def test_two_factor_secrets_are_sealed_and_rotate_with_the_texts(app, client, login, therapist):
    secret = two_factor.new_secret()
    with app.app_context():
        earlier = utcnow().replace(microsecond=0) - timedelta(seconds=60)
        assert two_factor.turn_on(therapist.id, secret, pyotp.TOTP(secret).at(earlier), earlier)
        stored = db.session.scalar(select(Staff.totp_secret).where(Staff.id == therapist.id))
        assert secret not in stored
        with pytest.raises(IntegrityError), write_transaction() as session:
            session.execute(update(Staff).where(Staff.id == therapist.id)
                            .values(totp_secret=secret, totp_sealed_with=None))
        old = sealing.keyring().current
        sealing.add_key(Path(app.config["TEXT_KEYS_FILE"]))
        sealing.keyring().reload()
        assert key_rotation.reseal() == 1
        key_rotation.retire(old)
        db.session.remove()
    login(therapist)
    response = post(client, "/staff/login/code", {"code": pyotp.TOTP(secret).now()},
                    token_from="/staff/login/code")
    assert response.headers["Location"] == "/staff/"


def test_a_kept_email_address_rotates_with_the_texts(app, make_client):
    from intake.practice import clients

    someone = make_client()
    with app.app_context():
        with write_transaction() as session:
            clients.keep_email(session, someone.id, "client@mail.example")
        old = sealing.keyring().current
        sealing.add_key(Path(app.config["TEXT_KEYS_FILE"]))
        sealing.keyring().reload()
        assert key_rotation.texts_per_key()[old] == 1
        assert key_rotation.reseal() == 1
        key_rotation.retire(old)  # refused while any text still needed it
        assert clients.email_of(someone.id) == "client@mail.example"
        db.session.remove()
