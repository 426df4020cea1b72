"""Server-drawn SVG line charts: well-formed, accessible, escaped, mirrored, small, CSP-safe."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup, escape

from intake.reports.line_chart import (
    FONT,
    MAX_X_LABELS,
    STYLES,
    Series,
    data_table_rows,
    line_chart,
)

NS = "{http://www.w3.org/2000/svg}"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May"]


def chart(*series: Series, labels=MONTHS, **options) -> Markup:
    settings = {"y_min": 0, "y_max": 10, "title": "Ratings", "description": "After sessions"}
    out = line_chart(list(series), x_labels=labels, **(settings | options))
    assert out is not None
    return out


def parse(svg: str) -> ET.Element:
    # The SVG is our own output, not untrusted input; ElementTree checks it is well-formed.
    return ET.fromstring(str(svg))  # noqa: S314


def group(root: ET.Element, name: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{NS}g") if g.get("class") == name]


def polylines(root: ET.Element) -> list[list[tuple[float, float]]]:
    return [
        [tuple(map(float, xy.split(","))) for xy in line.get("points").split()]
        for g in group(root, "series")
        for line in g.iter(f"{NS}polyline")
    ]


def rating(*values) -> Series:
    return Series("Rating", list(enumerate(values)))


def test_output_is_a_well_formed_scalable_svg_image():
    svg = chart(rating(3, 5, 7, 6, 8))
    assert isinstance(svg, Markup)
    assert escape(svg) == svg  # Jinja puts it in the page as it is
    assert not svg.startswith("<?xml")
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "640", "220", "0 0 640 220",
    )
    assert root.get("direction") == "ltr"
    assert len(group(root, "axes")[0]) == 2
    assert len(group(root, "grid")[0]) >= 3
    assert [t.text for t in group(root, "y-labels")[0]] == ["0", "2", "4", "6", "8", "10"]
    assert [t.text for t in group(root, "x-labels")[0]] == MONTHS
    assert len(list(group(root, "series")[0].iter(f"{NS}circle"))) == 5


def test_title_and_description_are_inside_and_label_the_image():
    root = parse(chart(rating(1, 2), title="Post-session rating", description="Five sessions"))
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert (title.text, desc.text) == ("Post-session rating", "Five sessions")
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]


def test_ids_are_unique_per_chart_unless_given():
    ids = {parse(chart(rating(1, 2))).find(f"{NS}title").get("id") for _ in range(3)}
    assert len(ids) == 3
    root = parse(chart(rating(1, 2), chart_id="room-problems"))
    assert root.get("aria-labelledby") == "room-problems-title room-problems-desc"


def test_hostile_text_is_escaped_everywhere():
    hostile = '"><script>alert(1)</script>&'
    svg = chart(
        rating(1, 2), Series(hostile, [(0, 3)]), labels=[hostile, "a\x00b"],
        title=hostile, description=hostile, y_suffix=hostile, chart_id=hostile,
    )
    assert "<script" not in svg
    root = parse(svg)  # a control character would make this fail
    assert not list(root.iter(f"{NS}script"))
    assert root.find(f"{NS}title").text == hostile
    assert root.find(f"{NS}desc").text == hostile
    assert hostile in [t.text for t in group(root, "legend")[0].iter(f"{NS}text")]
    assert group(root, "y-labels")[0][0].text == "0" + hostile
    assert [t.text for t in group(root, "x-labels")[0]] == ['"><script>alert…', "ab"]


def test_no_inline_styles_anywhere():
    for svg in (
        chart(rating(1, None, 3)),
        chart(rating(1, 2), Series("b", [(1, 4)]), rtl=True),
        chart(*[rating(*range(5)) for _ in range(5)], y_suffix="%"),
    ):
        assert "style" not in svg.lower()
        assert all("style" not in el.attrib for el in parse(svg).iter())


def test_gaps_split_the_line_and_lone_points_keep_their_marker():
    root = parse(chart(rating(1, 2, None, 4, 5, None, 7, None), labels=list("abcdefgh")))
    lines = polylines(root)
    assert [len(line) for line in lines] == [2, 2]
    circles = list(group(root, "series")[0].iter(f"{NS}circle"))
    assert len(circles) == 5


def test_points_left_out_do_not_break_the_line_and_may_come_in_any_order():
    root = parse(chart(Series("Goal", [(4, 8), (0, 2), (2, 5)])))
    (line,) = polylines(root)
    assert [x for x, _ in line] == sorted(x for x, _ in line)
    assert len(line) == 3


def test_rtl_mirrors_the_x_axis_and_puts_the_y_axis_on_the_right():
    ltr, rtl = parse(chart(rating(1, 5))), parse(chart(rating(1, 5), rtl=True))
    ((first, _), (last, _)) = polylines(ltr)[0]
    assert first < last
    ((first, _), (last, _)) = polylines(rtl)[0]
    assert first > last
    assert rtl.get("direction") == "rtl"
    assert [t.text for t in group(rtl, "x-labels")[0]] == MONTHS
    x_labels = [float(t.get("x")) for t in group(rtl, "x-labels")[0]]
    assert x_labels == sorted(x_labels, reverse=True)
    y_labels = group(rtl, "y-labels")[0]
    assert y_labels.get("text-anchor") == "start"
    assert y_labels.get("direction") == "ltr"  # "-5" must not become "5-"
    assert min(float(t.get("x")) for t in y_labels) > max(x_labels)
    assert max(float(t.get("x")) for t in group(ltr, "y-labels")[0]) < first


def test_rtl_legend_starts_on_the_right():
    root = parse(chart(rating(1, 2), Series("ب", [(0, 3)]), rtl=True))
    swatches = list(group(root, "legend")[0].iter(f"{NS}line"))
    assert float(swatches[0].get("x1")) > float(swatches[1].get("x1"))


def test_values_outside_the_range_are_clamped():
    (line,) = polylines(parse(chart(rating(10, 15, 0, -5))))
    ys = [y for _, y in line]
    assert ys[0] == ys[1]
    assert ys[2] == ys[3]
    assert ys[0] < ys[2]


def test_equal_values_draw_a_flat_line():
    (line,) = polylines(parse(chart(rating(4, 4, 4, 4, 4))))
    assert len({y for _, y in line}) == 1


def test_a_single_point_is_a_marker_in_the_middle():
    root = parse(chart(rating(7), labels=["Today"]))
    assert polylines(root) == []
    (circle,) = group(root, "series")[0].iter(f"{NS}circle")
    assert float(circle.get("cx")) == pytest.approx(320, abs=10)


def test_nothing_to_draw_is_none():
    kwargs = {"y_min": 0, "y_max": 10, "title": "t", "description": "d"}
    assert line_chart([], x_labels=[], **kwargs) is None
    assert line_chart([Series("a", [])], x_labels=MONTHS, **kwargs) is None
    assert line_chart([rating(None, float("nan"))], x_labels=MONTHS, **kwargs) is None


def test_mistakes_are_errors():
    with pytest.raises(ValueError, match="y_max"):
        chart(rating(1), y_min=5, y_max=5)
    with pytest.raises(ValueError, match="x_labels"):
        chart(Series("a", [(5, 1)]))


def test_legend_only_with_several_series_each_with_its_own_dashes():
    assert not group(parse(chart(rating(1, 2))), "legend")
    root = parse(chart(*[Series(f"s{i}", [(0, i), (1, i + 1)]) for i in range(4)]))
    assert [t.text for t in group(root, "legend")[0].iter(f"{NS}text")] == [
        "s0", "s1", "s2", "s3",
    ]
    styles = {(g.get("stroke"), g.get("stroke-dasharray")) for g in group(root, "series")}
    assert len(styles) == 4
    assert len({dash for _, dash in STYLES}) == len(STYLES)


def test_ticks_are_round_numbers_with_the_suffix():
    root = parse(chart(rating(50), labels=["May"], y_max=100, y_suffix="%"))
    assert [t.text for t in group(root, "y-labels")[0]] == ["0%", "20%", "40%", "60%", "80%",
                                                            "100%"]
    root = parse(chart(rating(3), labels=["May"], y_min=1, y_max=5))
    assert [t.text for t in group(root, "y-labels")[0]] == ["1", "2", "3", "4", "5"]


def test_many_points_thin_the_labels_so_they_never_overlap():
    labels = [f"2025-{i % 12 + 1:02d}-{i % 28 + 1:02d}" for i in range(500)]
    for rtl in (False, True):
        root = parse(chart(rating(*[i % 11 for i in range(500)]), labels=labels, rtl=rtl))
        shown = group(root, "x-labels")[0]
        assert 2 <= len(shown) <= MAX_X_LABELS
        xs = sorted(float(t.get("x")) for t in shown)
        widest = 0.6 * FONT * max(len(t.text) for t in shown)
        assert min(b - a for a, b in itertools.pairwise(xs)) > widest
        assert not list(group(root, "series")[0].iter(f"{NS}circle"))  # too dense for markers


def test_long_and_wide_labels_are_shortened_and_spaced():
    labels = ["二〇二五年三月十二日星期三"] * 12
    root = parse(chart(rating(*range(12)), labels=labels))
    xs = [float(t.get("x")) for t in group(root, "x-labels")[0]]
    assert min(b - a for a, b in itertools.pairwise(xs)) > FONT * len(labels[0])


def test_500_points_by_4_series_stay_small():
    labels = [str(i) for i in range(500)]
    series = [Series(f"s{s}", [(i, (i * 7 + s) % 11) for i in range(500)]) for s in range(4)]
    svg = chart(*series, labels=labels)
    assert len(svg.encode()) < 60_000
    assert sum(len(line) for line in polylines(parse(svg))) == 2000


def test_data_table_rows_pivot_the_series_by_x_label():
    series = [rating(3, None, 12), Series("Goal", [(2, 6), (0, 1)])]
    assert data_table_rows(series, ["a", "b", "c", "d"]) == [("a", [3, 1]), ("c", [12, 6])]
