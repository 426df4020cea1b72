"""Line charts drawn on the server as inline SVG: no JavaScript, no inline styles, print-safe.

``Series(label, points)`` is one line; each point is ``(x, value)``, where ``x`` indexes
``x_labels`` and ``value`` is a number, or ``None`` for a gap that breaks the line (an x
left out of ``points`` does not break it). Points may come in any order, one per x.

``line_chart(series, *, x_labels, y_min, y_max, title, description, rtl=False, width=640,
height=220, y_suffix="", chart_id=None) -> Markup | None`` returns an ``<svg role="img">``
labelled by its own ``<title>`` and ``<desc>`` (given already translated), or ``None`` when no
series has a value, so the caller says "nothing yet" in its own words. Values are clamped to
``[y_min, y_max]``; y ticks are round numbers in that range followed by ``y_suffix`` (e.g.
"%", or " %" in Spanish). ``rtl=True`` puts the first x on the right and the y axis on the
right. X labels are thinned (at most 8, never overlapping by a width estimate) and cut to 16
characters; points closer than a marker are drawn without one. The SVG has width/height
attributes and a viewBox, so CSS ``width: 100%; height: auto`` scales it; text takes the page's
font. A legend appears when there are two or more series; colours and dash patterns repeat
after four. ``chart_id`` prefixes the ids of the title and description, which must be unique
on the page; by default a fresh one is made. Groups carry classes (``grid``, ``axes``,
``y-labels``, ``x-labels``, ``series``, ``legend``) for CSS.

``data_table_rows(series, x_labels)`` gives ``[(x_label, [value or None per series])]``, the
rows of the table every chart should come with; x labels with no value at all are left out.
Its values are the caller's own, unclamped and unformatted.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Colour and dash pattern per series: the dashes tell lines apart in print and without colour.
STYLES = (("#2f6f73", ""), ("#b8860b", "7 4"), ("#52616b", "2 3"), ("#7a4e7a", "9 3 2 3"))
TEXT, AXIS, GRID = "#333333", "#6b6b6b", "#dddddd"
FONT = 11
MAX_X_LABELS = 8
LONGEST_X_LABEL = 16
# XML forbids these characters; one in a label would break the whole SVG.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    """One line of a chart: its legend label and its (x index, value or None) points."""

    label: str
    points: Sequence[tuple[int, float | None]]


def _clean(text: object) -> str:
    """The caller's text without characters XML forbids."""
    return _CONTROL.sub("", str(text))


def _n(value: float) -> str:
    """A coordinate with one decimal and no useless ".0", to keep big charts small."""
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _width(text: str) -> float:
    """Rough rendered width: wide (CJK) characters take a full em, others about 0.6 em."""
    return FONT * sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


def _ticks(low: float, high: float) -> list[float]:
    """Round tick values: the smallest 1, 2, 2.5 or 5 x 10^k step giving at most 5 intervals."""
    span = high - low
    magnitude = 10 ** math.floor(math.log10(span))
    step = next(m * magnitude for m in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10)
                if span / (m * magnitude) <= 5 + 1e-9)
    first = math.ceil(low / step - 1e-9) * step
    count = math.floor((high - first) / step + 1e-9) + 1
    return [round(first + i * step, 10) + 0.0 for i in range(count)]


def _dash(dash: str) -> str:
    """The dash attribute, left out for solid lines."""
    return f' stroke-dasharray="{dash}"' if dash else ""


def line_chart(
    series: Sequence[Series], *, x_labels: Sequence[str], y_min: float, y_max: float,
    title: str, description: str, rtl: bool = False, width: int = 640, height: int = 220,
    y_suffix: str = "", chart_id: str | None = None,
) -> Markup | None:
    """Draw the series as an accessible SVG line chart, or return None when there is no value."""
    if not y_max > y_min:
        raise ValueError("y_max must be greater than y_min")
    count = len(x_labels)
    lines: list[list[tuple[int, float | None]]] = []
    for s in series:
        points: list[tuple[int, float | None]] = []
        for x, value in sorted(s.points, key=lambda p: p[0]):
            if not 0 <= x < count:
                raise ValueError(f"x index {x} is outside x_labels")
            # NaN or infinity cannot be drawn: they become gaps, like None.
            ok = value is not None and math.isfinite(value)
            points.append((x, min(max(value, y_min), y_max) if ok else None))
        lines.append(points)
    if all(v is None for points in lines for _, v in points):
        return None

    # Legend first: its rows decide where the plot starts.
    legend: list[tuple[int, str, float, int]] = []
    if len(series) > 1:
        offset, row = 0.0, 0
        for i, s in enumerate(series):
            label = _clean(s.label)
            item = 30 + _width(label) + 16
            if offset and offset + item > width - 16:
                offset, row = 0.0, row + 1
            legend.append((i, label, offset, row))
            offset += item
    top = 14 + (18 * (legend[-1][3] + 1) + 4 if legend else 0)

    ticks = _ticks(y_min, y_max)
    tick_texts = [_clean(f"{t:.10g}{y_suffix}") for t in ticks]
    labels = [_clean(x) for x in x_labels]
    labels = [x if len(x) <= LONGEST_X_LABEL else x[: LONGEST_X_LABEL - 1] + "…" for x in labels]
    half_label = max(map(_width, labels)) / 2 + 4
    axis_margin = max(max(map(_width, tick_texts)) + 10, half_label)
    other_margin = max(12, half_label)
    left, right = (other_margin, width - axis_margin)
    if not rtl:
        left, right = axis_margin, width - other_margin
    bottom = height - FONT - 12
    dx = (right - left) / (count - 1) if count > 1 else 0.0

    def xpos(x: int) -> float:
        if count == 1:
            return (left + right) / 2
        return right - x * dx if rtl else left + x * dx

    def ypos(value: float) -> float:
        return bottom - (value - y_min) / (y_max - y_min) * (bottom - top)

    uid = _clean(chart_id) if chart_id else f"chart-{next(_ids)}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="line-chart" role="img" width="{width}"'
        f' height="{height}" viewBox="0 0 {width} {height}"'
        f' aria-labelledby="{escape(uid)}-title {escape(uid)}-desc"'
        # Set explicitly so an RTL page does not flip text anchors in an LTR chart.
        f' direction="{"rtl" if rtl else "ltr"}" font-size="{FONT}" fill="{TEXT}">',
        f'<title id="{escape(uid)}-title">{escape(_clean(title))}</title>',
        f'<desc id="{escape(uid)}-desc">{escape(_clean(description))}</desc>',
        f'<g class="grid" stroke="{GRID}" stroke-width="1" shape-rendering="crispEdges">',
    ]
    out += [f'<line x1="{_n(left)}" y1="{_n(ypos(t))}" x2="{_n(right)}" y2="{_n(ypos(t))}"/>'
            for t in ticks if t > y_min]
    axis = right if rtl else left
    out.append(
        f'</g><g class="axes" stroke="{AXIS}" stroke-width="1" shape-rendering="crispEdges">'
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}"/>'
        f'<line x1="{_n(axis)}" y1="{_n(top)}" x2="{_n(axis)}" y2="{_n(bottom)}"/></g>'
        # Numbers stay left-to-right, so "-5" is not shown as "5-" in an Arabic chart.
        f'<g class="y-labels" direction="ltr" text-anchor="{"start" if rtl else "end"}">'
    )
    tick_x = _n(axis + 6 if rtl else axis - 6)
    out += [f'<text x="{tick_x}" y="{_n(ypos(t))}" dy="0.32em">{escape(text)}</text>'
            for t, text in zip(ticks, tick_texts, strict=True)]
    out.append('</g><g class="x-labels" text-anchor="middle">')
    # Every step-th label only, so that (by the width estimate) no two labels touch.
    step = max(math.ceil(count / MAX_X_LABELS), math.ceil((2 * half_label) / dx)) if dx else 1
    out += [f'<text x="{_n(xpos(x))}" y="{_n(bottom + FONT + 6)}">{escape(labels[x])}</text>'
            for x in range(0, count, step)]
    out.append("</g>")

    # Where points are closer than a marker, markers would only thicken the line.
    markers = count == 1 or dx >= 5
    for i, points in enumerate(lines):
        colour, dash = STYLES[i % len(STYLES)]
        runs = [list(run) for known, run in itertools.groupby(points, lambda p: p[1] is not None)
                if known]
        out.append(f'<g class="series" fill="none" stroke="{colour}" stroke-width="2"'
                   f' stroke-linejoin="round"{_dash(dash)}>')
        dots = []
        for run in runs:
            xy = [(_n(xpos(x)), _n(ypos(v))) for x, v in run if v is not None]
            if len(xy) > 1:
                out.append(f'<polyline points="{" ".join(f"{a},{b}" for a, b in xy)}"/>')
            if markers or len(xy) == 1:  # a lone point has no line to show it
                dots += [f'<circle cx="{a}" cy="{b}" r="3"/>' for a, b in xy]
        out.append(f'<g fill="{colour}" stroke="none">{"".join(dots)}</g></g>')

    if legend:
        out.append('<g class="legend">')
        for i, label, offset, row in legend:
            colour, dash = STYLES[i % len(STYLES)]
            start = width - 8 - offset if rtl else 8 + offset
            end = start - 24 if rtl else start + 24
            y = _n(8 + 18 * row + 7)
            # With the chart's direction, text-anchor "start" sits next to the swatch either way.
            out.append(
                f'<line x1="{_n(start)}" y1="{y}" x2="{_n(end)}" y2="{y}" stroke="{colour}"'
                f' stroke-width="2"{_dash(dash)}/>'
                f'<circle cx="{_n((start + end) / 2)}" cy="{y}" r="3" fill="{colour}"/>'
                f'<text x="{_n(end - 6 if rtl else end + 6)}" y="{y}" dy="0.32em">'
                f"{escape(label)}</text>"
            )
        out.append("</g>")
    out.append("</svg>")
    # Safe: every caller text above went through escape(), numbers are formatted by us.
    return Markup("".join(out))  # noqa: S704


def data_table_rows(
    series: Sequence[Series], x_labels: Sequence[str]
) -> list[tuple[str, list[float | None]]]:
    """Rows for the chart's accessible table: each x label with each series' value or None."""
    values = [dict(s.points) for s in series]
    rows = [(label, [v.get(x) for v in values]) for x, label in enumerate(x_labels)]
    return [(label, row) for label, row in rows if any(v is not None for v in row)]
