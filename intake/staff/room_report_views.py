"""The admin's room feedback page: per room and month, what clients found uncomfortable.

Only figures the privacy rule in intake.reports.room_feedback lets through reach this module; it
turns them into words, a trend chart and a table, in the viewer's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_skeleton
from flask import render_template, request
from flask_babel import _, format_percent, get_locale, ngettext
from markupsafe import Markup

from ..infra.i18n import current_language
from ..models import Role, utcnow
from ..reports.line_chart import Series, line_chart
from ..reports.room_feedback import (
    DEFAULT_MONTHS,
    MIN_CLIENTS,
    MONTH_CHOICES,
    PROBLEM_CHOICES,
    RoomFeedback,
    room_feedback,
)
from .blueprint import bp, requires

LABELS = {choice.code: choice.label for choice in PROBLEM_CHOICES}


@dataclass(frozen=True)
class MonthRow:
    label: str
    clients: int | None  # None: not enough answers to show anything
    figures: list[str]  # one per column, when shown


@dataclass(frozen=True)
class RoomSection:
    room_id: int
    name: str
    has_figures: bool
    chart: Markup | None
    columns: list[str]
    rows: list[MonthRow]  # newest first


def _month(month: date, skeleton: str) -> str:
    return format_skeleton(skeleton, month, locale=get_locale())


def _percent_suffix() -> str:
    """Return what follows a number in a percentage here: "%", or " %" in Spanish."""
    # A locale that puts the sign first still gets it after the number: the axis needs a suffix.
    return format_percent(0).replace("0", "")


def _section(room: RoomFeedback, rtl: bool) -> RoomSection:
    """Turn one room's figures into a chart of shares and a table of counts."""
    problems = room.problem_codes
    columns = [str(LABELS[code]) for code in problems]
    chart = None
    if problems:
        series = [Series(str(LABELS[code]), [(x, cell.share(code))
                                             for x, cell in enumerate(room.cells)])
                  for code in problems]
        chart = line_chart(
            series,
            x_labels=[_month(cell.month, "yMMM") for cell in room.cells],
            y_min=0, y_max=100, y_suffix=_percent_suffix(), rtl=rtl,
            title=_("Problems reported in %(room)s, by month", room=room.name),
            description=_("For each month, the share of the clients who answered about the "
                          "room that reported each problem. Months with fewer than %(min)d "
                          "clients who answered are left out.", min=MIN_CLIENTS),
            chart_id=f"room-{room.room_id}-chart",
        )
    rows = []
    for cell in reversed(room.cells):
        figures = []
        if cell.clients is not None:
            for code in problems:
                count = cell.problems.get(code, 0)
                figures.append(ngettext(
                    "%(count)d of %(num)d client (%(percent)s)",
                    "%(count)d of %(num)d clients (%(percent)s)",
                    cell.clients, count=count, percent=format_percent(count / cell.clients),
                ))
        rows.append(MonthRow(_month(cell.month, "yMMMM"), cell.clients, figures))
    return RoomSection(room.room_id, room.name, room.has_figures, chart, columns, rows)


@bp.get("/admin/room-feedback")
@requires(Role.ADMIN)
def admin_feedback_by_room():
    months = request.args.get("months", DEFAULT_MONTHS, type=int)
    if months not in MONTH_CHOICES:
        months = DEFAULT_MONTHS
    report = room_feedback(utcnow(), months)
    rtl = current_language().direction == "rtl"
    return render_template(
        "staff/rooms_report.html",
        sections=[_section(room, rtl) for room in report.rooms],
        months=months,
        month_choices=[(n, ngettext("The last %(num)d month", "The last %(num)d months", n))
                       for n in MONTH_CHOICES],
        first_month=_month(report.months[0], "yMMMM"),
        last_month=_month(report.months[-1], "yMMMM"),
        min_clients=MIN_CLIENTS,
    )
