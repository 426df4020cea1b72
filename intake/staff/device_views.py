"""Tablets waiting after wrong codes: the front desk lets one try again."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import _

from ..models import Role, utcnow
from ..practice import code_throttle
from .blueprint import bp, requires
from .forms import ActionForm


@bp.app_context_processor
def _code_alarm() -> dict:
    """Let the staff header say when wrong codes pile up (read only where it is shown)."""
    return {"code_alarm": lambda: (code_throttle.practice_alarm()
                                   or bool(code_throttle.waiting_devices()))}


@bp.get("/devices")
@requires(Role.FRONTDESK, Role.ADMIN)
def devices():
    return render_template("staff/devices.html", devices=code_throttle.waiting_devices(),
                           alarm=code_throttle.practice_alarm(), now=utcnow(),
                           form=ActionForm())


@bp.post("/devices/clear")
@requires(Role.FRONTDESK, Role.ADMIN)
def clear_device():
    key = request.form.get("device", "")[:80]
    if ActionForm().validate_on_submit() and code_throttle.clear_device(key):
        flash(_("This tablet can try a code again now."), "info")
    return redirect(url_for("staff.devices"))
