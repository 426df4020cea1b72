"""Client pages around the questions: the welcome page, codes and links, thank you, goodbye."""

from __future__ import annotations

import secrets

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import _

from ..infra import i18n
from ..models import utcnow
from ..practice import checkins, code_throttle
from ..questionnaires import REGISTRY
from . import device, pages, state
from .blueprint import bp
from .forms import CodeForm
from .leaving import current_locale, end_visit, speak


@bp.get("/")
def welcome():
    if state.claim():
        return redirect(url_for("kiosk.resume"))
    if state.is_idle():
        return end_visit()
    farewell = state.farewell()
    if farewell and (farewell.on_phone or farewell.why != "finished"):
        # Right after a visit: in the client's language, saying what happened. A tablet
        # that finished shows the plain welcome page at once, for the next person.
        speak(farewell.locale)
        if farewell.on_phone:
            return render_template("kiosk/farewell.html", farewell=farewell)
        return device.remember(make_response(pages.welcome_page(farewell)))
    return device.remember(make_response(pages.welcome_page()))


@bp.post("/language")
def language():
    code = i18n.normalize(request.form.get("locale"))
    if code:
        session[i18n.SESSION_KEY] = code
    else:
        flash(_("Sorry, this language is not available."), "error")
    return redirect(device.safe_next(request.form.get("next")))


@bp.post("/start")
def start():
    form = CodeForm()
    form.validate_on_submit()
    me, address = device.throttle_id(), device.address()
    if wait := code_throttle.wait_before_guess(me, address):
        seconds = wait.seconds(utcnow())
        if wait.reason == "device" and seconds <= 60:
            flash(_("Please wait %(seconds)d seconds, then type the code again.",
                    seconds=seconds), "error")
        else:
            flash(_("Too many wrong codes were typed. Please wait a few minutes, or ask at "
                    "the front desk to let this tablet (%(name)s) try again.",
                    name=code_throttle.label_of(me)), "error")
        return redirect(url_for("kiosk.welcome"))
    code = checkins.normalize_code(form.code.data or "")
    claim = code and checkins.redeem_code(code, current_locale(), device.cookie())
    if not claim:
        used = code and checkins.spent(code)
        if used == "finished":  # the client's Finish was stored; not a guess
            flash(_("This check-in is already finished. Thank you: your answers were sent."),
                  "info")
        elif used:
            flash(_("This code can no longer be used. Please ask at the front desk for a "
                    "new one."), "info")
        else:
            code_throttle.record_wrong_code(me, address)
            flash(_("We could not find this code. Check it and try again, or ask at the "
                    "front desk."), "error")
        return redirect(url_for("kiosk.welcome"))
    code_throttle.record_right_code(me)
    _hold(claim, by_link=False)
    return redirect(url_for("kiosk.resume"))


@bp.get("/link/<token>")
def link(token: str):
    # The phone's cookie, or a new one given now: the link opens again on this phone only.
    phone = device.cookie() or secrets.token_urlsafe(16)
    secret = current_app.config["SECRET_KEY"]
    claim = len(token) < 200 and checkins.redeem_link(token, secret, current_locale(), phone)
    if not claim:
        reason, client_locale = (checkins.link_refusal(token, secret) if len(token) < 200
                                 else (checkins.Refusal.UNKNOWN, ""))
        state.reset()
        if not session.get(i18n.SESSION_KEY):
            speak(client_locale)
        return device.remember(make_response(
            render_template("kiosk/link_refused.html", reason=reason)), phone)
    _hold(claim, by_link=True)
    return device.remember(redirect(url_for("kiosk.resume")), phone)


def _hold(claim: checkins.Claim, by_link: bool) -> None:
    # The language the client is reading: chosen on this device, or the one the page
    # they typed their code on spoke after a pause or a time-out; else their own.
    farewell = state.farewell()
    chosen = session.get(i18n.SESSION_KEY) or (
        farewell.locale if farewell and farewell.why != "finished" else None)
    state.hold(claim, by_link)
    if language := i18n.normalize(chosen) or i18n.normalize(claim.client_locale):
        session[i18n.SESSION_KEY] = language


@bp.get("/thanks")
def thanks():
    finished = state.finished()
    if not finished:
        return redirect(url_for("kiosk.welcome"))
    return render_template("kiosk/thanks.html", questionnaire=REGISTRY.get(finished),
                           offer=state.offer() is not None, on_phone=state.by_link())


@bp.post("/thanks/survey")
def accept_survey():
    """The client said yes to the periodic survey offered after their feedback."""
    after = state.offer()
    claim = after and checkins.follow_up(
        after, "periodic", current_app.config["CHECKIN_LIFETIME"], current_locale(),
        device.cookie())
    if not claim:
        return redirect(url_for("kiosk.done"))
    _hold(claim, by_link=state.by_link())
    return redirect(url_for("kiosk.resume"))


@bp.get("/done")
def done():
    state.reset("finished" if state.finished() else None, current_locale())
    return redirect(url_for("kiosk.welcome"))


@bp.get("/timeout")
def timeout():
    had_visit = state.claim() is not None or state.is_idle() or bool(state.finished())
    state.reset("idle" if had_visit else None, current_locale())
    return redirect(url_for("kiosk.welcome"))


@bp.post("/keepalive")
def keepalive():
    if state.claim() is None:
        return "", 410
    state.touch()
    return "", 204


@bp.get("/what-to-expect")
def what_to_expect():
    return render_template("kiosk/what_to_expect.html")
