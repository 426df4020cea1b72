"""The front desk's Today page: the day's appointments and their check-ins."""

from __future__ import annotations

from flask_login import current_user

from ..models import utcnow
from ..practice import appointments
from ..reports import today as today_page
from .blueprint import bp
from .kept_pages import TODAY, kept_page


@bp.get("/today")
def today():
    def context() -> dict:
        now = utcnow()
        zone = appointments.practice_zone()
        return {"rows": today_page.day_for(current_user, now, zone), "now": now,
                "day": now.astimezone(zone)}

    return kept_page(TODAY, "staff/today.html", context)
