"""What the client's browser holds between requests: a claim on one check-in, and a clock.

Nothing else: no answers, no name. Clearing it ends the visit; the draft stays on the
server and the same code (or, on a phone, the same link) resumes it.

After a visit ends, a *farewell* is kept for a short while: the client's language, how
the visit was opened (tablet or phone) and why it ended, so that the page right after it
still speaks the client's language and says what happened. It holds nothing else, and
the next visit on the device replaces it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, session

from ..infra.i18n import SESSION_KEY as LOCALE_KEY
from ..practice.checkins import Claim

KEY = "kiosk"
GRACE_SECONDS = 20
TOUCH_SECONDS = 5
FINISHED_KEY = "finished"
OFFER_KEY = "offer"
FAREWELL_KEY = "farewell"
FAREWELL_SECONDS = 120
OFFER_SECONDS = 120  # the thank-you page closes itself after 90 seconds


@dataclass(frozen=True)
class Farewell:
    """How the last visit on this device ended, for the page right after it."""

    locale: str
    on_phone: bool
    why: str  # idle | paused | finished | ended


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
    """Tell whether the visit was opened with a phone link (else the code on the tablet)."""
    visit = session.get(KEY)
    if isinstance(visit, dict):
        return bool(visit.get("link"))
    return bool(session.get("on_phone"))


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
    periodic survey on the same visit, once, while the page is open.
    """
    locale = session.get(LOCALE_KEY)
    phone = by_link()
    session.clear()
    if locale:
        session[LOCALE_KEY] = locale
    session[FINISHED_KEY] = questionnaire
    session["on_phone"] = phone
    if offer_after:
        session[OFFER_KEY] = {"after": offer_after, "until": time.time() + OFFER_SECONDS}


def offer() -> int | None:
    """Return the finished check-in a follow-up survey may be started from, if offered."""
    value = session.get(OFFER_KEY)
    if not isinstance(value, dict) or time.time() > value.get("until", 0):
        return None
    after = value.get("after")
    return after if isinstance(after, int) else None


def finished() -> str | None:
    return session.get(FINISHED_KEY)


def reset(why: str | None = None, locale: str | None = None) -> None:
    """Forget everything, language included: the next person starts fresh.

    With `why`, keep a farewell (the language, tablet or phone, and why) for the page
    right after, so it speaks the client's language and says what happened.
    """
    phone = by_link()
    session.clear()
    if why and locale:
        session[FAREWELL_KEY] = {"locale": locale, "phone": phone, "why": why,
                                 "until": time.time() + FAREWELL_SECONDS}


def farewell() -> Farewell | None:
    """Return how the last visit ended, while that is fresh."""
    value = session.get(FAREWELL_KEY)
    if not isinstance(value, dict) or time.time() > value.get("until", 0):
        return None
    return Farewell(str(value.get("locale", "")), bool(value.get("phone")),
                    str(value.get("why", "ended")))


def idle_seconds() -> int:
    """Return the server's idle limit: the page's own, plus a little for the last request."""
    return int(current_app.config["KIOSK_IDLE_TIMEOUT"].total_seconds()) + GRACE_SECONDS
