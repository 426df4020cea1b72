"""Client pages: thin views over check-ins, responses and the questionnaire flow."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
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
from sqlalchemy import Connection
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as HTTPResponse

from ..answers import responses
from ..answers.responses import SaveResult
from ..infra import i18n
from ..infra.database import write_connection
from ..infra.keeping import csrf_token
from ..models import CheckInState, utcnow
from ..practice import checkins, surveys
from ..questionnaires import REGISTRY, Questionnaire, Step
from ..questionnaires.flow import step_index, visible_questions, visible_steps
from ..reports import briefs
from ..templating import current_practice
from . import pages, state
from .blueprint import bp
from .forms import CodeForm, step_form_class

DEVICE_COOKIE = "intake_device"


@dataclass
class Visit:
    """The check-in a client is filling now, with its draft and the steps they will see."""

    claim: checkins.Claim
    draft: responses.Draft
    questionnaire: Questionnaire
    goals: dict[int, str]

    @property
    def answers(self) -> dict:
        return self.draft.answers

    def steps(self, answers: dict | None = None) -> list[Step]:
        return visible_steps(self.questionnaire, answers or self.answers, self.goals)


def _visit(writing: Connection | None = None) -> Visit | None:
    claim = state.claim()
    draft = claim and responses.open_draft(claim, writing)
    if not draft:
        return None
    questionnaire = REGISTRY[draft.questionnaire]
    uses_goals = any(question.goal for question in questionnaire.questions())
    goals = responses.goals_of(draft.client_id) if uses_goals else {}
    return Visit(claim, draft, questionnaire, goals)


def _ended() -> HTTPResponse:
    """Leave a visit that can no longer go on, calmly."""
    claim = state.claim()
    if claim and (finished := checkins.finished_with(claim)):
        # A second tap on Finish: the first one already submitted; end the same way.
        return _finished(finished[0], finished[1], claim.check_in_id)
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
    response = make_response(render_template("kiosk/welcome.html", form=CodeForm()))
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
    closed = not claim and code and checkins.closed_state(code)
    if closed:
        # A real code typed again after it ended (say a Finish stored whose thank-you page
        # never arrived): its own calm words, and never counted as a guess.
        if closed is CheckInState.FINISHED:
            flash(_("This check-in is already finished. Thank you: there is nothing more "
                    "to do."), "info")
        else:
            flash(_("This code can no longer be used. Please ask at the front desk for a "
                    "new one."), "info")
        return redirect(url_for("kiosk.welcome"))
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
    visit = _visit()
    if visit is None:
        return _ended()
    steps = visit.steps()
    index = min(visit.draft.step, len(steps) - 1)
    return redirect(url_for("kiosk.step", key=steps[index].key))


@bp.route("/checkin/<key>", methods=["GET", "POST"])
def step(key: str):
    if request.method == "POST":
        # Read the draft and save the step in one transaction: nothing changes in between.
        with write_connection() as connection:
            return _save_step(key, connection)
    visit = _visit()
    if visit is None:
        return _ended()
    steps = visit.steps()
    index = step_index(steps, key)
    if index is None:
        return redirect(url_for("kiosk.resume"))
    questions = visible_questions(steps[index], visit.goals)
    form_class = step_form_class(visit.questionnaire, steps[index])
    state.touch()
    return _render_step(visit, steps, index, lambda: form_class(
        formdata=None, data=_as_form_data(visit.answers, questions)), cacheable=True)


def _save_step(key: str, connection: Connection):
    visit = _visit(writing=connection)
    if visit is None:
        return _ended()
    steps = visit.steps()
    index = step_index(steps, key)
    if index is None:
        return redirect(url_for("kiosk.resume"))
    current = steps[index]
    questions = visible_questions(current, visit.goals)
    form = step_form_class(visit.questionnaire, current)()
    going = request.form.get("go", "next")
    if not form.validate():
        if going == "leave":
            return redirect(url_for("kiosk.timeout"))
        return _render_step(visit, steps, index, lambda: form), 422
    shown = {question.key for question in questions}
    values = {
        field.question.key: field.value()
        for field in form.question_fields()
        if field.question.key in shown
    }
    after = visit.steps({**visit.answers, **values})
    position = step_index(after, current.key) or 0
    # Back goes one step back; leaving (the idle time-out) resumes on this same step.
    target = {"back": position - 1, "leave": position}.get(going, position + 1)
    submit = going == "next" and target >= len(after)
    result = responses.save_step(
        connection, visit.draft, questions, values, _locale(), max(target, 0), submit=submit
    )
    if result is SaveResult.SUBMITTED:
        # The alerts are stored in the same transaction as the submission.
        with Session(bind=connection) as session:
            briefs.refresh_alerts(session, visit.draft.client_id, utcnow())
            session.flush()
        return _finished(visit.questionnaire.key, visit.draft.client_id,
                         visit.draft.check_in_id)
    if going == "leave":
        return redirect(url_for("kiosk.timeout"))
    state.touch()
    return redirect(url_for("kiosk.step", key=after[max(target, 0)].key))


def _finished(questionnaire: str, client_id: int, check_in_id: int) -> HTTPResponse:
    """End a visit after its last step: thank the client, and offer a survey that is due."""
    offer = questionnaire == "post_session" and surveys.is_due(client_id, utcnow())
    state.finish(questionnaire, offer_after=check_in_id if offer else None)
    return redirect(url_for("kiosk.thanks"))


def _as_form_data(answers: dict, questions) -> dict:
    data = {}
    for question in questions:
        value = answers.get(question.key)
        data[question.key] = str(value) if isinstance(value, int) else value
    return data


def _render_step(visit: Visit, steps: list[Step], index: int, make_form,
                 cacheable: bool = False) -> str:
    step = steps[index]
    questions = visible_questions(step, visit.goals)
    resume_code = visit.draft.code if state.by_link() else None
    key = cacheable and not resume_code and pages.cache_key(
        questions, visit.answers, visit.questionnaire.key, step.key, _locale(), index,
        len(steps), current_practice(),
    )

    def render(token: str) -> str:
        return render_template(
            "kiosk/step.html", visit=visit, step=step, questions=questions, form=make_form(),
            number=index + 1, total=len(steps), resume_code=resume_code, csrf_value=token,
        )

    return pages.render(key or None, render, csrf_token)


@bp.errorhandler(CSRFError)
def _csrf_failed(error: CSRFError):
    """Keep what was typed: show the step again with a fresh token, nothing saved yet."""
    visit = request.endpoint == "kiosk.step" and _visit()
    if not visit:
        return render_template("errors/error.html", status=400, message_key="csrf"), 400
    steps = visit.steps()
    index = step_index(steps, request.view_args.get("key", "")) or 0
    form = step_form_class(visit.questionnaire, steps[index])()
    form.validate()
    flash(_("This page was open for a long time. Please check your answers and press the "
            "button again."), "info")
    return _render_step(visit, steps, index, lambda: form), 400


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

