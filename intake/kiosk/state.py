"""What the client's browser holds between requests: a claim on one check-in, and a clock.

Nothing else: no answers, no name. Clearing it ends the visit; the draft stays
on the server and the same code resumes it.
"""

from __future__ import annotations

import time

from flask import current_app, session

from ..infra.i18n import SESSION_KEY as LOCALE_KEY
from ..practice.checkins import Claim

KEY = "kiosk"
GRACE_SECONDS = 20
TOUCH_SECONDS = 5
FINISHED_KEY = "finished"
OFFER_KEY = "offer"


def hold(claim: Claim, by_link: bool) -> None:
    """Start a visit: forget anything before it, keep only the language."""
    locale = session.get(LOCALE_KEY)
    session.clear()
    if locale:
        session[LOCALE_KEY] = locale
    session[KEY] = {"id": claim.check_in_id, "claim": claim.claim, "seen": time.time(),
                    "link": by_link, "questionnaire": claim.questionnaire}


def claim() -> Claim | None:
    """Return the visit's claim while it is fresh; None when there is none or it went idle."""
    visit = session.get(KEY)
    if not isinstance(visit, dict):
        return None
    if time.time() - visit.get("seen", 0) > idle_seconds():
        return None
    return Claim(visit["id"], visit["claim"], questionnaire=visit.get("questionnaire", ""))


def is_idle() -> bool:
    """Tell whether a visit exists but went idle too long."""
    visit = session.get(KEY)
    return isinstance(visit, dict) and time.time() - visit.get("seen", 0) > idle_seconds()


def by_link() -> bool:
    visit = session.get(KEY)
    return bool(isinstance(visit, dict) and visit.get("link"))


def touch() -> None:
    """Reset the idle clock (at most every few seconds: each reset re-signs the cookie)."""
    visit = session.get(KEY)
    now = time.time()
    if isinstance(visit, dict) and now - visit.get("seen", 0) >= TOUCH_SECONDS:
        visit["seen"] = now
        session.modified = True


def finish(questionnaire: str, offer_after: int | None = None) -> None:
    """End the visit after a submission; keep the language for the thank-you page.

    With offer_after (the finished check-in), the thank-you page may offer the
    periodic survey on the same visit.
    """
    locale = session.get(LOCALE_KEY)
    session.clear()
    if locale:
        session[LOCALE_KEY] = locale
    session[FINISHED_KEY] = questionnaire
    if offer_after:
        session[OFFER_KEY] = offer_after


def offer() -> int | None:
    """Return the finished check-in a follow-up survey may be started from, if offered."""
    value = session.get(OFFER_KEY)
    return value if isinstance(value, int) else None


def finished() -> str | None:
    return session.get(FINISHED_KEY)


def reset() -> None:
    """Forget everything, language included: the next person starts fresh."""
    session.clear()


def idle_seconds() -> int:
    """Return the server's idle limit: the page's own, plus a little for the last request."""
    return int(current_app.config["KIOSK_IDLE_TIMEOUT"].total_seconds()) + GRACE_SECONDS
