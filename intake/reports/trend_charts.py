"""Trend charts for the brief: ratings after appointments, and progress on goals."""

from __future__ import annotations

from dataclasses import dataclass

from babel.dates import get_date_format
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..brief import Brief
from ..brief.trends import SERIES
from ..infra.i18n import current_language
from .line_chart import Series, data_table_rows, line_chart

# One chart per series of the brief; each line is a question, named by its short label.
CHARTS = (
    ("ratings", _l("Ratings after appointments"),
     _l("Each rating from 0 to 10 after each appointment, oldest first.")),
    ("goals", _l("Progress on goals"),
     _l("How far the client felt they had come on each goal, from 0 to 10.")),
)


TABLE_ROWS = 20  # the table beside a chart shows the latest figures; the chart shows all


@dataclass(frozen=True)
class Chart:
    name: str
    svg: Markup
    columns: list[str]
    rows: list[tuple[str, list[float | None]]]  # the latest TABLE_ROWS
    total_rows: int


def trend_charts(brief: Brief) -> list[Chart]:
    """Return the brief's charts, each with the same figures as a table."""
    charts = []
    # One pattern for every label: a long history has hundreds of dates.
    locale = get_locale()
    pattern = get_date_format("short", locale=locale)
    for name, title, description in CHARTS:
        _questionnaire, questions = SERIES[name]
        items = [(q.key, q.short_label or q.label) for q in questions]
        dates = sorted({point.at for key, _label in items for point in brief.trends.get(key, [])})
        if not dates:
            continue
        index = {at: i for i, at in enumerate(dates)}
        labels = [pattern.apply(at.date(), locale) for at in dates]
        series = [
            Series(str(label), [(index[p.at], p.value) for p in brief.trends.get(key, [])])
            for key, label in items
            if brief.trends.get(key)
        ]
        svg = line_chart(series, x_labels=labels, y_min=0, y_max=10, title=str(title),
                         description=str(description),
                         rtl=current_language().direction == "rtl", chart_id=f"chart-{name}")
        if svg is not None:
            rows = data_table_rows(series, labels)
            charts.append(Chart(name, svg, [s.label for s in series], rows[-TABLE_ROWS:],
                                len(rows)))
    return charts


__all__ = ["Chart", "trend_charts"]
