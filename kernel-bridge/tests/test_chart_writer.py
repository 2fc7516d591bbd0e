"""The one SVG line-chart writer: the notebook fallback and the report's Markdown charts draw with the page's
run palette (tests/test_protocol_constants.py holds it to the fixture), and every line goes through one M4."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import numpy as np

from spyglass.base.protocol_constants import RUN_PALETTE
from spyglass.charts.m4 import equal_buckets, m4_indices, m4_points, m4_rows
from spyglass.charts.static_chart import line_chart_svg, render_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_the_notebook_fallback_draws_a_run_in_the_first_run_colour():
    root = ElementTree.fromstring(render_svg("t", [0, 1, 2], {"loss": [3.0, 2.0, 1.0]}))
    assert [line.get("stroke") for line in root.iter(f"{SVG}polyline")] == [RUN_PALETTE[0]]


def test_the_report_chart_colours_runs_by_position_in_the_palette_legend_included():
    series = [(f"run {i}", np.arange(5.0), np.arange(5.0) * i) for i in range(22)]
    root = ElementTree.fromstring(line_chart_svg("loss", "step", series))
    expected = [RUN_PALETTE[i % len(RUN_PALETTE)] for i in range(22)]
    assert [line.get("stroke") for line in root.iter(f"{SVG}polyline")] == expected
    assert [box.get("fill") for box in root.iter(f"{SVG}rect")][2:] == expected  # background, frame, legend


def test_the_report_chart_downsamples_a_long_line_keeping_its_spike():
    x = np.arange(100_000, dtype=float)
    y = np.sin(x / 1000)
    y[54_321] = 30.0
    root = ElementTree.fromstring(line_chart_svg("m", "step", [("a", x, y)]))
    (line,) = root.iter(f"{SVG}polyline")
    points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
    assert len(points) <= 1000
    assert min(py for _, py in points) == 28.0  # the spike reaches the top of the plot area
    assert [t.text for t in root.iter(f"{SVG}text")][1] == "30"  # the y extent label


def test_m4_indices_keep_exactly_the_first_last_lowest_and_highest_point_of_each_bucket():
    rng = np.random.default_rng(3)
    x = np.sort(rng.uniform(0, 50, 5_000))
    y = rng.normal(size=5_000)
    kept = m4_indices(x, y, 40)
    rows = m4_rows(x, y, equal_buckets(x, float(x[0]), float(x[-1]), 40))
    expected = set()
    for name in ("first", "last", "min", "max"):
        for px, py in zip(rows[f"x_{name}"], rows[f"y_{name}"], strict=True):
            expected.add(int(np.flatnonzero((x == px) & (y == py))[0]))
    assert set(kept.tolist()) == expected and len(rows["n"]) == 40 and rows["n"].sum() == 5_000


def test_m4_points_leave_out_missing_values_and_sort_by_x():
    x, y = m4_points([3, 1, 2, 0], [None, 1.0, float("nan"), 2.0], 1000)
    assert x.tolist() == [0.0, 1.0] and y.tolist() == [2.0, 1.0]
