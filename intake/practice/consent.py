"""Consent: what a client reads and chooses before their first questionnaire.

The page says who reads the answers and when, how long they are kept, and the practice's
own limits of confidentiality (one text per language, a default until the practice writes
its own). The client continues or stops; the choice is kept with its time, the version of
the page's words and when the limits were last changed. The latest choice counts: a client
who stopped sees the page again next time.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..extensions import db
from ..infra.database import write_transaction
from ..models import CheckIn, ConfidentialityLimits, Consent, ConsentChoice, utcnow
from . import audit

# The version of the consent page's own words (templates/kiosk/consent.html): raise it
# whenever they change, so each recorded choice says which words the client read.
TEXT_VERSION = 1
LIMITS_MAX = 1000

# Translators: read by clients before their first questionnaire; plain words, short sentences.
DEFAULT_LIMITS = _l(
    "Your therapist must share some things to keep people safe. This is when someone is in "
    "danger of serious harm, when a child or an adult who needs care is being hurt, or when "
    "a court orders it. If a court or an agency sent you here, ask your therapist what they "
    "tell them."
)


class LimitsError(ValueError):
    """A limits text is too long or not in a configured language."""


def client_of(check_in_id: int) -> int | None:
    """Return the client a check-in belongs to."""
    return db.session.scalar(select(CheckIn.client_id).where(CheckIn.id == check_in_id))


def latest(client_id: int) -> Consent | None:
    """Return the client's latest choice on the consent page, if they made one."""
    return db.session.scalar(
        select(Consent).where(Consent.client_id == client_id)
        .order_by(Consent.at.desc(), Consent.id.desc()).limit(1))


def has_consented(client_id: int) -> bool:
    """Tell whether the client's latest choice on the consent page was to continue."""
    latest = db.session.scalar(
        select(Consent.choice).where(Consent.client_id == client_id)
        .order_by(Consent.at.desc(), Consent.id.desc()).limit(1))
    return latest == ConsentChoice.ACCEPTED


def limits(locale: str) -> tuple[str, datetime | None]:
    """Return the practice's limits of confidentiality in a language, and when they changed.

    Without the practice's own text, the default, translated (changed: None).
    """
    row = db.session.get(ConfidentialityLimits, locale)
    if row is not None:
        return row.text, row.changed_at
    with force_locale(locale):
        return str(DEFAULT_LIMITS), None


def record(client_id: int, choice: str, locale: str,
           limits_changed_at: datetime | None) -> None:
    """Keep the client's choice, with the words they read."""
    choice = ConsentChoice(choice)
    with write_transaction() as session:
        session.add(Consent(client_id=client_id, choice=choice, text_version=TEXT_VERSION,
                            locale=locale, limits_changed_at=limits_changed_at, at=utcnow()))
        audit.add(session, f"consent.{choice}", None, client_id, f"version {TEXT_VERSION}")


def set_limits(actor_id: int, texts: dict[str, str], locales: list[str]) -> list[str]:
    """Save the limits per language; a text equal to the default (or empty) goes back to it.

    Return the languages that changed.
    """
    changed = []
    with write_transaction() as session:
        for locale, typed in texts.items():
            if locale not in locales:
                raise LimitsError(f"unknown locale {locale!r}")
            text = " ".join((typed or "").split())
            if len(text) > LIMITS_MAX:
                raise LimitsError("too long")
            with force_locale(locale):
                default = str(DEFAULT_LIMITS)
            row = session.get(ConfidentialityLimits, locale)
            if not text or text == default:
                if row is not None:
                    session.execute(delete(ConfidentialityLimits)
                                    .where(ConfidentialityLimits.locale == locale))
                    changed.append(locale)
            elif row is None or row.text != text:
                if row is None:
                    session.add(ConfidentialityLimits(locale=locale, text=text,
                                                      changed_at=utcnow()))
                else:
                    row.text, row.changed_at = text, utcnow()
                changed.append(locale)
        if changed:
            audit.add(session, "practice.confidentiality_limits", actor_id,
                      detail=" ".join(changed))
    return changed
