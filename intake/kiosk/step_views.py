"""Client pages of the questions: one step per screen, saved through the answers layer."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError

from ..answers.drafts import Draft, open_draft
from ..answers.submit import GOING, Result, submit_step
from ..infra import i18n
from . import pages, state
from .blueprint import bp
from .forms import step_form_class
from .leaving import current_locale, end_visit, finish_visit, speak


def _draft() -> Draft | None:
    claim = state.claim()
    return open_draft(claim) if claim else None


@bp.get("/checkin")
def resume():
    draft = _draft()
    if draft is None:
        return end_visit()
    steps = draft.steps()
    return redirect(url_for("kiosk.step", key=steps[min(draft.step, len(steps) - 1)].key))


@bp.get("/checkin/<key>")
def step(key: str):
    draft = _draft()
    if draft is None:
        return end_visit()
    state.touch()
    page = pages.step_page(draft, key, on_phone=state.by_link())
    return page if page is not None else redirect(url_for("kiosk.resume"))


@bp.post("/checkin/<key>")
def save_step(key: str):
    claim = state.claim()
    form_class = claim and step_form_class(claim.questionnaire, key)
    if not form_class:
        return end_visit() if claim is None else redirect(url_for("kiosk.resume"))
    form = form_class()
    # The language menu on a step saves what is on the page, then shows it in the new one.
    switch_to = i18n.normalize(request.form.get("locale"))
    going = "language" if switch_to else request.form.get("go", "next")
    going = going if going in (*GOING, "pause", "language") else "next"
    if not form.validate():
        if going == "leave":  # the idle time-out: nothing valid to keep on this step
            return redirect(url_for("kiosk.timeout"))
        if switch_to:
            session[i18n.SESSION_KEY] = switch_to
            speak(switch_to)
        return _show_again(key, form), 422
    stay = going in ("pause", "language")
    try:
        outcome = submit_step(claim, key, form.values(), current_locale(),
                              "leave" if stay else going)
    except OperationalError:
        # A held lock, a full disk, a lost connection: nothing was written. Show the page
        # again with what was typed, so pressing the button again is all it takes.
        flash(_("We could not save this page just now. What you typed is still here: "
                "please press the button again in a moment."), "error")
        return _show_again(key, form), 503
    if outcome.result is Result.SUBMITTED:
        return finish_visit(outcome)
    if outcome.result is Result.ENDED:
        return end_visit()
    if outcome.result is Result.NOT_SHOWN:
        return redirect(url_for("kiosk.resume"))
    if going == "pause":
        state.reset("paused", current_locale())
        return redirect(url_for("kiosk.welcome"))
    if going == "leave":
        return redirect(url_for("kiosk.timeout"))
    if switch_to:
        session[i18n.SESSION_KEY] = switch_to
    state.touch()
    return redirect(url_for("kiosk.step", key=outcome.next_step))


def _show_again(key: str, form):
    """Show a step again with what was sent and why it was not saved."""
    draft = _draft()
    if draft is None:
        return end_visit()
    page = pages.step_page(draft, key, form=form, on_phone=state.by_link())
    return page if page is not None else redirect(url_for("kiosk.resume"))


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
