"""Consent before the first question: who reads the answers, when, for how long, and the
limits of confidentiality. A client whose latest choice was not to continue (or who never
chose) sees this page before any step of any questionnaire.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import _, get_locale

from ..practice import consent
from . import state
from .blueprint import bp

# The steps of a questionnaire, which wait for consent.
GUARDED = frozenset({"kiosk.resume", "kiosk.step", "kiosk.save_step"})
# The check-in whose client was found to have consented, for the rest of the visit (a new
# visit forgets it: state.hold clears the session).
CHECKED_KEY = "consented"


@bp.before_request
def _consent_first():
    """Send a visit to the consent page until the client has chosen to continue."""
    if request.endpoint not in GUARDED:
        return None
    claim = state.claim()
    if claim is None or session.get(CHECKED_KEY) == claim.check_in_id:
        return None  # the view ends a visit without a claim, calmly
    client_id = consent.client_of(claim.check_in_id)
    if client_id is not None and consent.has_consented(client_id):
        session[CHECKED_KEY] = claim.check_in_id
        return None
    return redirect(url_for("kiosk.consent_page"))


@bp.context_processor
def _limits() -> dict:
    def confidentiality_limits() -> str:
        return consent.limits(str(get_locale()))[0]

    return {"confidentiality_limits": confidentiality_limits}


@bp.get("/consent")
def consent_page():
    if state.claim() is None:
        return redirect(url_for("kiosk.resume"))
    state.touch()
    return render_template("kiosk/consent.html")


@bp.post("/consent")
def consent_choice():
    claim = state.claim()
    choice = request.form.get("choice")
    if claim is None or choice not in ("accepted", "declined"):
        return redirect(url_for("kiosk.resume"))
    client_id = consent.client_of(claim.check_in_id)
    if client_id is None:
        return redirect(url_for("kiosk.resume"))
    locale = str(get_locale())
    consent.record(client_id, choice, locale, consent.limits(locale)[1])
    if choice == "accepted":
        session[CHECKED_KEY] = claim.check_in_id
        state.touch()
        return redirect(url_for("kiosk.resume"))
    state.reset()
    flash(_("You chose to stop. Nothing else was saved. If you have questions, please ask at "
            "the front desk or your therapist."), "info")
    return redirect(url_for("kiosk.welcome"))
