"""Client pages: thin views over check-ins and the answers layer."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

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
from flask_babel import _, get_locale
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response as HTTPResponse

from ..answers.drafts import Draft, open_draft
from ..answers.submit import GOING, Outcome, Result, ended, submit_step
from ..infra import i18n
from ..practice import checkins
from ..questionnaires import REGISTRY
from . import pages, state
from .blueprint import bp
from .forms import CodeForm, step_form_class

DEVICE_COOKIE = "intake_device"


def _draft() -> Draft | None:
    claim = state.claim()
    return open_draft(claim) if claim else None


def _ended() -> HTTPResponse:
    """Leave a visit that can no longer go on, calmly."""
    claim = state.claim()
    if claim and (outcome := ended(claim)).result is Result.SUBMITTED:
        # A second tap on Finish: the first one already submitted; end the same way.
        return _finished(outcome)
    timed_out = state.is_idle()
    state.reset()
    if timed_out:
        flash(_("For your privacy, we started again. What you answered so far is saved: "
                "enter your code to go on."), "info")
    else:
        flash(_("This check-in has ended. If you were not finished, please ask at the "
                "front desk."), "info")
    return redirect(url_for("kiosk.welcome"))


def _locale() -> str:
    return str(get_locale())


@bp.get("/")
def welcome():
    if state.claim():
        return redirect(url_for("kiosk.resume"))
    if state.is_idle():
        return _ended()
    response = make_response(pages.welcome_page())
    if not request.cookies.get(DEVICE_COOKIE):
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(16),
            max_age=5 * 365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


@bp.post("/language")
def language():
    code = i18n.normalize(request.form.get("locale"))
    if code:
        session[i18n.SESSION_KEY] = code
    else:
        flash(_("Sorry, this language is not available."), "error")
    return redirect(_safe_next(request.form.get("next")))


def _safe_next(target: str | None) -> str:
    """Return a path on this site to go back to; anything else goes to the welcome page."""
    if not target or len(target) > 200:
        return url_for("kiosk.welcome")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("kiosk.welcome")
    return target


def _throttle_keys() -> dict[str, int]:
    config = current_app.config
    keys = {f"address:{request.remote_addr}": config["CODE_MAX_FAILURES_PER_ADDRESS"]}
    if device := request.cookies.get(DEVICE_COOKIE, "")[:64]:
        keys[f"device:{device}"] = config["CODE_MAX_FAILURES"]
    return keys


@bp.post("/start")
def start():
    form = CodeForm()
    form.validate_on_submit()
    keys = _throttle_keys()
    if checkins.is_locked(list(keys)):
        flash(_("Too many tries. Please wait a few minutes, or ask at the front desk."),
              "error")
        return redirect(url_for("kiosk.welcome"))
    code = checkins.normalize_code(form.code.data or "")
    claim = code and checkins.redeem_code(code, _locale())
    if not claim:
        checkins.record_failure(keys, current_app.config["CODE_LOCKOUT"])
        flash(_("We could not find this code. Check it and try again, or ask at the "
                "front desk."), "error")
        return redirect(url_for("kiosk.welcome"))
    for key in keys:
        if key.startswith("device:"):
            checkins.forget_failures(key)
    _hold(claim, by_link=False)
    return redirect(url_for("kiosk.resume"))


@bp.get("/link/<token>")
def link(token: str):
    claim = len(token) < 200 and checkins.redeem_link(
        token, current_app.config["SECRET_KEY"], _locale()
    )
    if not claim:
        state.reset()
        flash(_("This link has expired or was already used. Please ask the practice for "
                "a new one."), "error")
        return redirect(url_for("kiosk.welcome"))
    _hold(claim, by_link=True)
    return redirect(url_for("kiosk.resume"))


def _hold(claim: checkins.Claim, by_link: bool) -> None:
    chosen = session.get(i18n.SESSION_KEY)
    state.hold(claim, by_link)
    if not chosen and (preferred := i18n.normalize(claim.client_locale)):
        session[i18n.SESSION_KEY] = preferred


@bp.get("/checkin")
def resume():
    draft = _draft()
    if draft is None:
        return _ended()
    steps = draft.steps()
    return redirect(url_for("kiosk.step", key=steps[min(draft.step, len(steps) - 1)].key))


@bp.get("/checkin/<key>")
def step(key: str):
    draft = _draft()
    if draft is None:
        return _ended()
    state.touch()
    page = pages.step_page(draft, key, resume_code=_resume_code(draft))
    return page if page is not None else redirect(url_for("kiosk.resume"))


@bp.post("/checkin/<key>")
def save_step(key: str):
    claim = state.claim()
    form_class = claim and step_form_class(claim.questionnaire, key)
    if not form_class:
        return _ended() if claim is None else redirect(url_for("kiosk.resume"))
    form = form_class()
    going = request.form.get("go", "next")
    going = going if going in GOING else "next"
    if not form.validate():
        if going == "leave":
            return redirect(url_for("kiosk.timeout"))
        return _show_again(key, form), 422
    outcome = submit_step(claim, key, form.values(), _locale(), going)
    if outcome.result is Result.SUBMITTED:
        return _finished(outcome)
    if outcome.result is Result.ENDED:
        return _ended()
    if outcome.result is Result.NOT_SHOWN:
        return redirect(url_for("kiosk.resume"))
    if going == "leave":
        return redirect(url_for("kiosk.timeout"))
    state.touch()
    return redirect(url_for("kiosk.step", key=outcome.next_step))


def _show_again(key: str, form) -> str | HTTPResponse:
    """Show a step again with what was sent and why it was not saved."""
    draft = _draft()
    if draft is None:
        return _ended()
    page = pages.step_page(draft, key, form=form, resume_code=_resume_code(draft))
    return page if page is not None else redirect(url_for("kiosk.resume"))


def _resume_code(draft: Draft) -> str | None:
    return draft.code if state.by_link() else None


def _finished(outcome: Outcome) -> HTTPResponse:
    """End a visit after its last step: thank the client, and offer a survey that is due."""
    state.finish(outcome.questionnaire,
                 offer_after=outcome.check_in_id if outcome.offer_survey else None)
    return redirect(url_for("kiosk.thanks"))


@bp.errorhandler(CSRFError)
def _csrf_failed(error: CSRFError):
    """Keep what was typed: show the step again with a fresh token, nothing saved yet."""
    claim = state.claim() if request.endpoint == "kiosk.save_step" else None
    form_class = claim and step_form_class(claim.questionnaire,
                                           request.view_args.get("key", ""))
    if not form_class:
        return render_template("errors/error.html", status=400, message_key="csrf"), 400
    form = form_class()
    form.validate()
    flash(_("This page was open for a long time. Please check your answers and press the "
            "button again."), "info")
    return _show_again(request.view_args["key"], form), 400


@bp.get("/thanks")
def thanks():
    finished = state.finished()
    if not finished:
        return redirect(url_for("kiosk.welcome"))
    return render_template("kiosk/thanks.html", questionnaire=REGISTRY.get(finished),
                           offer=state.offer() is not None)


@bp.post("/thanks/survey")
def accept_survey():
    """The client said yes to the periodic survey offered after their feedback."""
    after = state.offer()
    claim = after and checkins.follow_up(
        after, "periodic", current_app.config["CHECKIN_LIFETIME"], _locale())
    if not claim:
        return redirect(url_for("kiosk.done"))
    _hold(claim, by_link=False)
    return redirect(url_for("kiosk.resume"))


@bp.get("/done")
def done():
    state.reset()
    return redirect(url_for("kiosk.welcome"))


@bp.get("/timeout")
def timeout():
    had_visit = state.claim() is not None or state.is_idle() or bool(state.finished())
    message = _("For your privacy, we started again. What you answered so far is saved: "
                "enter your code to go on.")
    state.reset()
    if had_visit:
        flash(message, "info")
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

