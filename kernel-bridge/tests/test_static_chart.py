"""The static SVG fallback: one chart per numeric metric, downsampled, escaped and deterministic."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ElementTree

from spyglass.charts.m4 import m4_points
from spyglass.charts.static_chart import MAX_POINTS, render_svg

SVG = "{http://www.w3.org/2000/svg}"


def m4_pairs(steps, values):
    """The points the fallback draws for one metric, as (step, value) pairs."""
    xs, ys = m4_points(steps, values, MAX_POINTS)
    return list(zip(xs.tolist(), ys.tolist(), strict=True))


def test_each_metric_gets_its_own_chart_with_title_and_min_max_labels():
    svg = render_svg("demo / run", [0, 1, 2], {"loss": [3.0, 2.0, 1.0], "acc": [0.1, 0.5, 0.9]})
    root = ElementTree.fromstring(svg)
    groups = root.findall(f"{SVG}g")
    assert [g.get("data-metric") for g in groups] == ["loss", "acc"]
    loss_texts = [t.text for t in groups[0].iter(f"{SVG}text")]
    assert loss_texts[0] == "loss" and "3" in loss_texts and "1" in loss_texts and "0" in loss_texts
    assert all(g.find(f"{SVG}polyline") is not None for g in groups)


def test_the_same_data_gives_the_same_bytes():
    data = {"loss": [math.sin(i / 10) for i in range(5000)]}
    steps = list(range(5000))
    assert render_svg("t", steps, data) == render_svg("t", steps, data)


def test_every_text_is_xml_escaped():
    svg = render_svg('<script>alert("x")</script>', [0], {'a<b & "c"': [1.0]})
    assert "<script>" not in svg
    root = ElementTree.fromstring(svg)  # well-formed despite the markup in the names
    assert root.find(f"{SVG}g").get("data-metric") == 'a<b & "c"'


def test_long_series_are_downsampled_keeping_each_buckets_extremes():
    steps = list(range(100_000))
    values = [0.0] * 100_000
    values[31_337] = 50.0
    values[77_777] = -50.0
    points = m4_pairs(steps, values)
    assert len(points) <= MAX_POINTS
    assert (31_337, 50.0) in points and (77_777, -50.0) in points
    assert [p[0] for p in points] == sorted(p[0] for p in points)


def test_missing_and_non_finite_values_are_skipped_in_the_picture():
    metrics = {"loss": [None, float("nan"), 1.0, float("inf")], "empty": [None] * 4}
    svg = render_svg("t", [0, 1, 2, 3], metrics)
    root = ElementTree.fromstring(svg)
    empty = [g for g in root.findall(f"{SVG}g") if g.get("data-metric") == "empty"][0]
    assert empty.find(f"{SVG}polyline") is None


def test_a_run_without_numeric_metrics_says_so():
    assert "No numeric metrics logged yet" in render_svg("t", [], {})


def test_a_run_with_thousands_of_metrics_draws_the_first_few_and_says_how_many_more():
    svg = render_svg("t", [0], {f"m{i}": [float(i)] for i in range(5000)})
    root = ElementTree.fromstring(svg)
    assert len(root.findall(f"{SVG}g")) == 48
    assert "and 4952 more metrics" in svg


def test_a_downsampled_series_keeps_its_first_and_last_step_so_the_x_axis_starts_at_0():
    # Issue 14: the first bucket's extremes were at steps 2 and 3, so the x axis started at 2.
    steps = list(range(3000))
    values = [0.5] * 3000
    values[2], values[3] = 0.0, 1.0
    points = m4_pairs(steps, values)
    assert len(points) <= MAX_POINTS
    assert points[0] == (0, 0.5) and points[-1] == (2999, 0.5)
    assert (2, 0.0) in points and (3, 1.0) in points
    root = ElementTree.fromstring(render_svg("t", steps, {"acc": values}))
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert labels[-2:] == ["0", "2999"]  # the x axis: first and last step
