"""Bad input on the client side: a calm message in the client's language, nothing lost."""

import re
from datetime import timedelta

from sqlalchemy import func, select, update

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import Answer, CheckIn, Response, Role, Throttle, utcnow
from intake.practice import checkins, code_throttle
from tests.conftest import post, token_in


def answers(app, check_in_id):
    with app.app_context():
        rows = db.session.scalars(
            select(Answer).join(Response).where(Response.check_in_id == check_in_id)
        )
        return sorted((row.question, row.position, row.code, row.number, row.written())
                      for row in rows)


def test_a_wrong_code_gets_a_calm_message_in_the_chosen_language(kiosk):
    kiosk.choose_language("es")
    response = kiosk.start("ZZZZZZ")
    assert response.headers["Location"] == "/"
    page = kiosk.client.get("/").get_data(as_text=True)
    assert 'class="flash flash-error"' in page
    assert "We could not find this code" not in page  # it is in Spanish


def test_codes_are_forgiving_about_case_spaces_and_dashes(kiosk, make_check_in):
    check_in = make_check_in()
    typed = f" {check_in.code[:3].lower()}-{check_in.code[3:]} "
    assert kiosk.start(typed).headers["Location"] == "/checkin"


def test_wrong_codes_slow_a_device_down_and_it_recovers_in_seconds(app, kiosk, make_check_in):
    check_in = make_check_in()
    kiosk.client.get("/")  # the welcome page gives the device its cookie
    for _ in range(code_throttle.FREE_TRIES):
        kiosk.start("AAAAAA")
    kiosk.start("AAAAAA")  # one more: now the device waits a few seconds
    # Even the right code waits, and the tablet says how long.
    assert kiosk.start(check_in.code).headers["Location"] == "/"
    assert "Please wait 5 seconds" in kiosk.client.get("/").get_data(as_text=True)
    waits_are_over(app)  # five seconds later
    assert kiosk.start(check_in.code).headers["Location"] == "/checkin"


def waits_are_over(app):
    """Move past every device's wait, as if the client had waited."""
    with app.app_context():
        with write_transaction() as session:
            session.execute(update(Throttle).where(Throttle.key.like("device:%"))
                            .values(locked_until=utcnow() - timedelta(seconds=1)))
        db.session.remove()


def test_another_device_is_not_slowed_down(app, kiosk, make_check_in):
    check_in = make_check_in()
    kiosk.client.get("/")
    for _ in range(8):
        kiosk.start("AAAAAA")
    other = app.test_client()
    other.get("/")
    assert post(other, "/start", {"code": check_in.code}).headers["Location"] == "/checkin"


def test_dropping_the_device_cookie_does_not_escape_the_address_limit(app, make_check_in,
                                                                     monkeypatch):
    monkeypatch.setattr(code_throttle, "PRACTICE_LIMIT", 1000)
    check_in = make_check_in()
    for _ in range(code_throttle.ADDRESS_LIMIT):
        fresh = app.test_client()
        post(fresh, "/start", {"code": "AAAAAA"})
    fresh = app.test_client()
    assert post(fresh, "/start", {"code": check_in.code}).headers["Location"] == "/"


def test_the_practice_wide_limit_pauses_codes_and_tells_the_front_desk(
        app, client, login, make_staff, make_check_in, monkeypatch):
    monkeypatch.setattr(code_throttle, "ADDRESS_LIMIT", 1000)
    check_in = make_check_in()
    for _ in range(code_throttle.PRACTICE_LIMIT):
        post(app.test_client(), "/start", {"code": "AAAAAA"})
    late = app.test_client()
    assert post(late, "/start", {"code": check_in.code}).headers["Location"] == "/"
    assert "Too many wrong codes" in late.get("/").get_data(as_text=True)
    login(make_staff(Role.FRONTDESK))
    header = client.get("/staff/").get_data(as_text=True)
    assert "A tablet is waiting after wrong codes" in header
    assert "Many wrong codes were typed" in client.get("/staff/devices").get_data(as_text=True)


def test_the_front_desk_lets_a_waiting_tablet_try_again(app, kiosk, client, login, make_staff,
                                                        make_check_in):
    check_in = make_check_in()
    kiosk.client.get("/")
    for _ in range(8):  # a client who keeps mistyping, waiting each time
        kiosk.start("AAAAAA")
        waits_are_over(app)
    kiosk.start("AAAAAA")  # the ninth: a wait of minutes
    assert kiosk.start(check_in.code).headers["Location"] == "/"
    refused = kiosk.client.get("/").get_data(as_text=True)
    login(make_staff(Role.FRONTDESK))
    page = client.get("/staff/devices").get_data(as_text=True)
    (key,) = re.findall(r'name="device" value="([^"]+)"', page)
    (label,) = re.findall(r'<td data-label="Tablet"><bdi>(\w+)</bdi>', page)
    assert f"({label})" in refused  # the tablet names itself, so the desk finds it
    post(client, "/staff/devices/clear", {"device": key}, token_from="/staff/devices")
    assert kiosk.start(check_in.code).headers["Location"] == "/checkin"


def test_a_spent_code_typed_again_is_not_a_guess(app, kiosk, make_check_in):
    finished = make_check_in(questionnaire="pre_session")
    kiosk.client.get("/")
    kiosk.start(finished.code)
    kiosk.finish([{}, {}, {}])
    kiosk.client.get("/done")
    for _ in range(10):
        assert kiosk.start(finished.code).headers["Location"] == "/"
    assert "already finished" in kiosk.client.get("/").get_data(as_text=True)
    fresh = make_check_in()
    assert kiosk.start(fresh.code).headers["Location"] == "/checkin"


def test_device_waits_grow_and_stop_at_five_minutes():
    waits = [code_throttle.device_wait(n).total_seconds() for n in range(1, 12)]
    assert waits == [0, 0, 0, 5, 10, 20, 40, 80, 160, 300, 300]


def test_expired_finished_and_cancelled_codes_are_refused(app, kiosk, make_check_in):
    expired = make_check_in(lifetime=timedelta(seconds=-1))
    assert kiosk.start(expired.code).headers["Location"] == "/"
    cancelled = make_check_in()
    with app.app_context():
        assert checkins.cancel(cancelled.id)
    assert kiosk.start(cancelled.code).headers["Location"] == "/"
    finished = make_check_in(questionnaire="pre_session")
    kiosk.start(finished.code)
    kiosk.finish([{}, {}, {}])
    kiosk.client.get("/done")
    assert kiosk.start(finished.code).headers["Location"] == "/"


def test_an_ended_code_typed_again_has_its_own_words_and_is_never_a_guess(app, kiosk,
                                                                         make_check_in):
    finished = make_check_in(questionnaire="pre_session")
    kiosk.start(finished.code)
    kiosk.finish([{}, {}, {}])
    kiosk.client.get("/done")
    expired = make_check_in(lifetime=timedelta(seconds=-1))
    cancelled = make_check_in()
    with app.app_context():
        assert checkins.cancel(cancelled.id)
    waiting = make_check_in()
    kiosk.client.get("/")  # the device cookie
    # The finished client, whose thank-you page never came, types the code again and again.
    for _ in range(code_throttle.FREE_TRIES + 3):
        kiosk.start(finished.code)
        page = kiosk.client.get("/").get_data(as_text=True)
        assert "already finished" in page and "We could not find this code" not in page
    for ended in (expired, cancelled):
        kiosk.start(ended.code)
        page = kiosk.client.get("/").get_data(as_text=True)
        assert "can no longer be used" in page and "We could not find" not in page
    # None of it counted: the next client on this tablet is not locked out.
    assert kiosk.start(waiting.code).headers["Location"] == "/checkin"


def test_a_code_used_on_a_second_device_takes_over_and_the_first_cannot_save(
    app, kiosk, make_check_in
):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "6"})
    path, html = kiosk.current()
    second = app.test_client()
    assert post(second, "/start", {"code": check_in.code}).headers["Location"] == "/checkin"
    data = {"csrf_token": token_in(html), "talk_about": "from the first tablet"}
    response = kiosk.client.post(path, data=data)
    assert response.headers["Location"] == "/"
    assert ("feeling_today", 0, None, 6, None) in answers(app, check_in.id)
    assert all(row[0] != "talk_about" for row in answers(app, check_in.id))


def test_the_same_code_resumes_the_draft_where_the_client_left_off(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "3"})
    kiosk.client.get("/timeout")
    assert kiosk.client.get("/checkin").headers["Location"] == "/"
    kiosk.start(check_in.code)
    path, _html = kiosk.current()
    assert path == "/checkin/topics"


def test_idle_time_out_clears_the_session_and_keeps_the_draft(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "3"})
    with kiosk.client.session_transaction() as session:
        visit = session["kiosk"]
        visit["seen"] -= app.config["KIOSK_IDLE_TIMEOUT"].total_seconds() + 60
        session["kiosk"] = visit
    response = kiosk.client.get("/checkin/topics")
    assert response.headers["Location"] == "/"
    page = kiosk.client.get("/").get_data(as_text=True)
    assert "For your privacy, we started again" in page
    assert ("feeling_today", 0, None, 3, None) in answers(app, check_in.id)
    with kiosk.client.session_transaction() as session:
        assert "kiosk" not in session


def test_pages_carry_an_idle_refresh_that_works_without_javascript(kiosk, make_check_in):
    kiosk.start(make_check_in().code)
    _path, html = kiosk.current()
    assert '<noscript><meta http-equiv="refresh" content="180;url=/timeout"></noscript>' in html


def test_leaving_on_time_out_saves_what_was_typed(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "3"})
    response = kiosk.answer({"talk_about": "typed before the time-out"}, go="leave")
    assert response.headers["Location"] == "/timeout"
    assert ("talk_about", 0, None, None, "typed before the time-out") in answers(app, check_in.id)
    assert "For your privacy" in kiosk.client.get("/timeout", follow_redirects=True).get_data(
        as_text=True)
    assert kiosk.client.get("/checkin").headers["Location"] == "/"


def test_after_finishing_no_page_shows_an_answer(kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "3"})
    kiosk.answer({"talk_about": "SECRET-TOPIC"})
    kiosk.answer({})
    kiosk.client.get("/done")
    for path in ("/checkin", "/checkin/today", "/checkin/topics", "/checkin/room", "/thanks"):
        response = kiosk.client.get(path, follow_redirects=True)
        html = response.get_data(as_text=True)
        assert "SECRET-TOPIC" not in html
        # The browser's Back after Done: the visit is over, and the page says it went well.
        assert response.request.path == "/" or "Your answers have been sent" in html


def test_every_client_page_is_no_store(kiosk, make_check_in):
    kiosk.start(make_check_in().code)
    path, _html = kiosk.current()
    for url in ("/", path, "/what-to-expect"):
        response = kiosk.client.get(url)
        assert response.headers["Cache-Control"] == "no-store", url
    assert 'autocomplete="off"' in kiosk.current()[1]


def test_a_double_tap_on_continue_saves_once(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    path, html = kiosk.current()
    token = token_in(html)
    data = {"csrf_token": token, "go": "next", "feeling_today": "8"}
    first = kiosk.client.post(path, data=data)
    second = kiosk.client.post(path, data=data)
    assert first.headers["Location"] == second.headers["Location"] == "/checkin/topics"
    assert answers(app, check_in.id) == [("feeling_today", 0, None, 8, None)]


def test_a_double_tap_on_finish_submits_once(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({})
    kiosk.answer({})
    path, html = kiosk.current()
    data = {"csrf_token": token_in(html), "go": "next", "room_wishes": "warmer"}
    with kiosk.client.session_transaction() as before:
        saved = dict(before)
    first = kiosk.client.post(path, data=data)
    with kiosk.client.session_transaction() as session:  # the second tap's stale cookie
        session.clear()
        session.update(saved)
    second = kiosk.client.post(path, data=data)
    assert first.headers["Location"] == second.headers["Location"] == "/thanks"
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 1
    assert answers(app, check_in.id) == [("room_wishes", 0, "warmer", None, None)]


def test_overlong_text_gets_a_form_error_and_loses_nothing(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "5"})
    response = kiosk.answer({"talk_about": "x" * 2001, "hard_to_say": "kept"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "2000 characters or fewer" in html
    assert ">kept</textarea>" in html  # what was typed is still on the page
    assert ("feeling_today", 0, None, 5, None) in answers(app, check_in.id)


def test_an_overlong_body_is_refused_calmly(kiosk, make_check_in):
    kiosk.start(make_check_in(questionnaire="pre_session").code)
    kiosk.answer({})
    response = kiosk.answer({"talk_about": "x" * 200_000})
    assert response.status_code == 413
    assert "too long" in response.get_data(as_text=True)


def test_invalid_and_duplicated_choices_are_refused(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="post_session")
    kiosk.start(check_in.code)
    response = kiosk.answer({"listened": "11"})
    assert response.status_code == 422
    assert "Please pick one of the answers shown." in response.get_data(as_text=True)
    response = kiosk.answer({"judged": ["no", "yes"]})
    assert response.status_code == 422
    assert "Please pick only one answer." in response.get_data(as_text=True)
    response = kiosk.answer({"judged": "maybe"})
    assert response.status_code == 422
    assert answers(app, check_in.id) == []


def test_a_choice_sent_twice_counts_once(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({})
    kiosk.answer({})
    kiosk.answer({"room_wishes": ["warmer", "warmer", "door_closed"]})
    assert answers(app, check_in.id) == [
        ("room_wishes", 0, "warmer", None, None),
        ("room_wishes", 1, "door_closed", None, None),
    ]


def test_an_exclusive_choice_cannot_be_combined(kiosk, make_check_in):
    kiosk.start(make_check_in(questionnaire="pre_session").code)
    kiosk.answer({})
    kiosk.answer({})
    response = kiosk.answer({"room_wishes": ["warmer", "nothing"]})
    assert response.status_code == 422


def test_hostile_text_is_stored_as_written_and_never_run(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({})
    hostile = "<script>alert(1)</script> {{ 7*7 }} ' OR 1=1 -- %_ \u202eevil \U0001F600 \u200b"
    kiosk.answer({"talk_about": hostile + "\x00\x07"}, go="back")
    kiosk.answer({})
    _path, html = kiosk.current()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in html
    stored = [row for row in answers(app, check_in.id) if row[0] == "talk_about"]
    assert stored[0][4] == hostile.strip()


def test_a_missing_csrf_token_keeps_what_was_typed(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "4"})
    path, _html = kiosk.current()
    response = kiosk.client.post(path, data={"go": "next", "talk_about": "typed words"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert ">typed words</textarea>" in html
    assert "Please check your answers" in html
    # The page carries a fresh token, so pressing Continue again works.
    fields = {"csrf_token": token_in(html), "go": "next",
              "talk_about": "typed words"}
    assert kiosk.client.post(path, data=fields).headers["Location"] == "/checkin/room"
    assert ("feeling_today", 0, None, 4, None) in answers(app, check_in.id)


def test_a_csrf_failure_without_a_visit_is_a_calm_page(client):
    response = client.post("/start", data={"code": "AAAAAA"})
    assert response.status_code == 400
    assert "Please start again" in response.get_data(as_text=True)


def test_unknown_and_hostile_locales_fall_back_calmly(kiosk):
    response = kiosk.choose_language("xx-<script>")
    assert response.headers["Location"] == "/"
    page = kiosk.client.get("/").get_data(as_text=True)
    assert "not available" in page
    hostile = kiosk.client.get("/", headers={"Accept-Language": "zz;q=1, ;;;,'\"<>*" * 50})
    assert hostile.status_code == 200


def test_the_language_menu_returns_only_to_this_site(kiosk):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = post(kiosk.client, "/language", {"locale": "es", "next": target})
        assert response.headers["Location"] == "/"


def test_a_phone_link_opens_again_on_its_own_phone_only(app, make_check_in, make_client):
    someone = make_client(locale="es")
    check_in = make_check_in(client=someone, questionnaire="pre_session")
    with app.app_context():
        token = checkins.link_token(db.session.get(CheckIn, check_in.id),
                                    app.config["SECRET_KEY"])
    phone = app.test_client()
    response = phone.get(f"/link/{token}")
    assert response.headers["Location"] == "/checkin"
    page = phone.get("/checkin", follow_redirects=True).get_data(as_text=True)
    # The code would open the draft's text anywhere: a phone page never shows it.
    assert check_in.code not in page
    # Tapping the message again on the same phone goes back to the draft, even after the
    # browser forgot its session.
    assert phone.get(f"/link/{token}").headers["Location"] == "/checkin"
    phone.delete_cookie(app.config["SESSION_COOKIE_NAME"])
    assert phone.get(f"/link/{token}").headers["Location"] == "/checkin"
    other = app.test_client()
    refused = other.get(f"/link/{token}")
    assert refused.status_code == 200
    html = refused.get_data(as_text=True)
    assert 'lang="es"' in html  # the client's language, though nobody chose one
    assert "/checkin" not in refused.headers.get("Location", "")


def test_forged_expired_and_finished_links_are_refused_calmly(app, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    with app.app_context():
        real = checkins.link_token(db.session.get(CheckIn, check_in.id), "another secret")
        phone = app.test_client()
        assert "does not work" in phone.get(f"/link/{real}").get_data(as_text=True)
        assert "does not work" in phone.get("/link/not-a-token").get_data(as_text=True)
        with write_transaction() as session:
            session.execute(update(CheckIn).values(expires_at=utcnow() - timedelta(minutes=1)))
        token = checkins.link_token(db.session.get(CheckIn, check_in.id),
                                    app.config["SECRET_KEY"])
    html = phone.get(f"/link/{token}").get_data(as_text=True)
    assert "expired" in html and "/checkin" not in html


def test_codes_are_easy_to_read():
    for _ in range(200):
        code = checkins.new_code()
        assert len(code) == 6 and not set(code) & set("0O1IL2Z5S8B6GUV")


def test_answers_never_reach_the_logs_even_when_saving_fails(app, kiosk, make_check_in, caplog,
                                                            monkeypatch):
    from intake.answers import submit

    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({})

    def broken(*args, **kwargs):
        raise RuntimeError("the worker died mid-write")

    monkeypatch.setattr(submit, "rows_for", broken)
    with caplog.at_level("DEBUG"):
        response = kiosk.answer({"talk_about": "PRIVATE-ANSWER\nwith a forged log line"})
    assert response.status_code == 500
    assert "PRIVATE-ANSWER" not in response.get_data(as_text=True)
    assert "PRIVATE-ANSWER" not in caplog.text
    assert "forged log line" not in caplog.text


def test_wrong_codes_at_once_from_a_new_device_are_all_counted(app):
    import threading

    barrier, errors = threading.Barrier(6), []

    def guess() -> None:
        with app.app_context():
            barrier.wait()
            try:
                code_throttle.record_wrong_code("new-tablet", "10.0.0.9")
            except Exception as error:  # any error fails the test below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=guess) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session.get(Throttle, "device:new-tablet").failures == 6
        assert db.session.get(Throttle, "address:10.0.0.9").failures == 6
        db.session.remove()
