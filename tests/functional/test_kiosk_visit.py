"""The edges of a visit: pausing, changing language mid-way, time-outs, phones, replays.

Every page a client can reach in or right after a visit speaks their language and says
what happened; nothing of theirs stays on the screen.
"""

import re

from sqlalchemy import func, select

from intake.extensions import db
from intake.models import AuditEvent, CheckIn
from tests.conftest import post, token_in
from tests.functional.test_kiosk_flow import stored


def test_pause_saves_the_page_and_clears_the_screen(app, kiosk, make_client, make_check_in):
    check_in = make_check_in(client=make_client(locale="ar"), questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "6"})
    response = kiosk.answer({"talk_about": "PRIVATE-TOPIC"}, go="pause")
    assert response.headers["Location"] == "/"
    welcome = kiosk.client.get("/").get_data(as_text=True)
    assert 'lang="ar"' in welcome and "PRIVATE-TOPIC" not in welcome
    assert "إجاباتك محفوظة" in welcome  # "Your answers are saved", in the client's language
    assert kiosk.client.get("/checkin/topics").headers["Location"] == "/"
    # The same code brings the client back to the page they paused on, with its text.
    kiosk.start(check_in.code)
    path, html = kiosk.current()
    assert path == "/checkin/topics" and "PRIVATE-TOPIC" in html
    assert stored(app, check_in.id)[2]["talk_about"] == ["PRIVATE-TOPIC"]


def test_after_a_pause_the_client_comes_back_in_the_language_they_were_reading(
        kiosk, make_client, make_check_in):
    check_in = make_check_in(client=make_client(locale="en"), questionnaire="pre_session")
    kiosk.choose_language("ur")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "6"}, go="pause")
    assert 'lang="ur"' in kiosk.client.get("/").get_data(as_text=True)
    kiosk.start(check_in.code)  # typed on the page that spoke Urdu
    _path, html = kiosk.current()
    assert '<html lang="ur" dir="rtl">' in html


def test_the_next_person_after_a_finished_visit_gets_their_own_language(
        kiosk, make_client, make_check_in):
    kiosk.choose_language("ur")
    kiosk.start(make_check_in(client=make_client(locale="en"), questionnaire="post_session").code)
    kiosk.finish([{}, {}])
    kiosk.client.get("/thanks")
    kiosk.client.get("/done")  # the tablet's thank-you page closes by itself
    kiosk.start(make_check_in(client=make_client(locale="es"), questionnaire="pre_session").code)
    _path, html = kiosk.current()
    assert '<html lang="es" dir="ltr">' in html


def test_changing_language_on_a_question_page_keeps_the_answers(kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "6"})
    path, html = kiosk.current()
    response = kiosk.client.post(path, data={"csrf_token": token_in(html), "locale": "ar",
                                             "talk_about": "My exam"})
    assert response.headers["Location"] == path
    page = kiosk.client.get(path).get_data(as_text=True)
    assert 'dir="rtl"' in page and "My exam" in page


def test_every_question_page_has_pause_and_the_language_menu(kiosk, make_check_in):
    kiosk.start(make_check_in(questionnaire="post_session").code)
    _path, html = kiosk.current()
    assert 'name="go" value="pause"' in html
    assert re.search(r'<button name="locale" value="ar"', html)
    # Continue stays the first button, so that Enter continues.
    assert re.search(r'<button (?:type="submit" )?name="(\w+)"', html).group(1) == "go"
    assert 'value="next"' in html.split("<button", 2)[1]


def test_the_page_after_a_time_out_is_in_the_clients_language(kiosk, make_check_in):
    kiosk.choose_language("ar")
    kiosk.start(make_check_in(questionnaire="pre_session").code)
    kiosk.client.get("/timeout")
    after = kiosk.client.get("/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in after
    assert "Welcome" not in after  # the whole page, not only the message
    kiosk.client.get("/done")
    assert '<html lang="en" dir="ltr">' in kiosk.client.get("/").get_data(as_text=True)


def test_done_on_a_phone_says_goodbye_in_the_clients_language(app, make_client, make_check_in):
    from intake.practice import checkins

    check_in = make_check_in(client=make_client(locale="es"), questionnaire="pre_session")
    with app.app_context():
        token = checkins.link_token(db.session.get(CheckIn, check_in.id),
                                    app.config["SECRET_KEY"])
    phone = app.test_client()
    phone.get(f"/link/{token}")
    for _ in range(3):
        path = phone.get("/checkin").headers["Location"]
        html = phone.get(path).get_data(as_text=True)
        phone.post(path, data={"csrf_token": token_in(html), "go": "next"})
    thanks = phone.get("/thanks").get_data(as_text=True)
    assert "se va a cerrar sola" not in thanks  # "This page will close by itself": a tablet's
    goodbye = phone.get("/done", follow_redirects=True).get_data(as_text=True)
    assert 'lang="es"' in goodbye
    assert "Ya puede cerrar esta página." in goodbye
    assert "recepción" not in goodbye  # nothing about a front desk or typing a code


def test_opening_a_draft_on_another_device_is_audited(app, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    first, second = app.test_client(), app.test_client()
    for device in (first, second):
        device.get("/")  # each gets its own device cookie
        post(device, "/start", {"code": check_in.code})
    with app.app_context():
        events = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "check_in.opened_elsewhere",
            AuditEvent.client_id == check_in.client.id))
    assert events == 1


def test_a_help_line_is_near_every_text_box_and_on_client_error_pages(kiosk, make_check_in):
    kiosk.start(make_check_in(questionnaire="pre_session").code)
    kiosk.answer({})
    _path, html = kiosk.current()
    boxes = html.count("<textarea")
    assert boxes and html.count('class="help-now"') == boxes
    missing = kiosk.client.get("/no-such-page").get_data(as_text=True)
    assert 'class="safety"' in missing and "If you need help now" in missing
