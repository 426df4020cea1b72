"""How a visit ends: finished, paused, timed out, or ended elsewhere, and what the client
sees right after, in their language."""

from __future__ import annotations

from flask import g, redirect, render_template, url_for
from flask_babel import get_locale, refresh
from werkzeug.wrappers import Response as HTTPResponse

from ..answers.submit import Outcome, Result, ended
from ..infra import i18n
from . import state


def current_locale() -> str:
    return str(get_locale())


def speak(locale: str | None) -> None:
    """Render the rest of this request in the given language (a farewell's, a client's)."""
    if code := i18n.normalize(locale):
        g.chosen_locale = code
        refresh()


def finish_visit(outcome: Outcome) -> HTTPResponse:
    """End a visit after its last step: thank the client, and offer a survey that is due."""
    state.finish(outcome.questionnaire,
                 offer_after=outcome.check_in_id if outcome.offer_survey else None)
    return redirect(url_for("kiosk.thanks"))


def end_visit() -> HTTPResponse | str:
    """Leave a visit that can no longer go on, calmly, saying why in the client's language."""
    claim = state.claim()
    if claim and (outcome := ended(claim)).result is Result.SUBMITTED:
        # A second tap on Finish: the first one already submitted; end the same way.
        return finish_visit(outcome)
    if state.finished():
        # Finish, then the browser's Back: the visit is over, and it went well.
        return redirect(url_for("kiosk.thanks"))
    farewell = state.farewell()
    if farewell and farewell.why == "finished":
        # Done, then Back: say again that it is finished.
        speak(farewell.locale)
        return render_template("kiosk/farewell.html", farewell=farewell)
    state.reset("idle" if state.is_idle() else "ended", current_locale())
    return redirect(url_for("kiosk.welcome"))
