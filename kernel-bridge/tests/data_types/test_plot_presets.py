"""sg.plot presets and sg.plot_table produce a table plus a Vega-Lite spec, logged as one reference."""

from __future__ import annotations

import json

import numpy as np
import pytest

import spyglass as sg
from spyglass.data_types import TableError
from spyglass.data_types.media_store import MediaWriter


def reference(chart, tmp_path):
    return json.loads(chart.reference_json(MediaWriter(tmp_path), "chart", 0))


def test_line_scatter_bar_and_histogram_bind_their_fields(tmp_path):
    table = sg.Table(columns=["x", "y", "run"], data=[[1, 2.0, "a"], [2, 3.0, "b"]])
    line = sg.plot.line(table, "x", "y", stroke="run", title="Loss")
    assert line.spec["encoding"]["x"]["field"] == "x" and line.spec["encoding"]["color"]["field"] == "run"
    assert line.spec["title"] == {"text": "Loss"} and line.spec["data"] == {"name": "table"}
    assert "color" not in sg.plot.line(table, "x", "y").spec["encoding"]
    assert sg.plot.scatter(table, "x", "y").spec["mark"] == "point"
    assert sg.plot.bar(table, "run", "y").spec["encoding"]["y"]["field"] == "run"
    assert sg.plot.histogram(table, "y").spec["encoding"]["x"]["bin"] == {"maxbins": 64}
    stored = reference(line, tmp_path)
    assert stored["_type"] == "table" and stored["spec"] == line.spec and stored["nrows"] == 2
    assert (tmp_path / stored["path"]).is_file()


def test_line_series_builds_long_format_rows():
    chart = sg.plot.line_series(xs=[0, 1, 2], ys=[[1, 2, 3], [3, 2, 1]], keys=["up", "down"], xname="epoch")
    assert chart.table.columns == ["step", "lineKey", "lineVal"] and len(chart.table) == 6
    assert chart.spec["encoding"]["x"]["title"] == "epoch"
    per_line = sg.plot.line_series(xs=[[0, 1], [5, 6, 7]], ys=[[1, 2], [3, 4, 5]])
    assert per_line.table.get_column("lineKey") == ["key_0"] * 2 + ["key_1"] * 3


def test_confusion_matrix_counts_every_pair():
    chart = sg.plot.confusion_matrix(y_true=[0, 1, 1, 2], preds=[0, 1, 2, 2], class_names=["a", "b", "c"])
    counts = {(row[0], row[1]): row[2] for _, row in chart.table.iterrows()}
    assert counts[("b", "c")] == 1 and counts[("c", "c")] == 1 and counts[("a", "b")] == 0
    assert len(counts) == 9
    from_probs = sg.plot.confusion_matrix(probs=np.eye(3)[[0, 1, 2]], y_true=[0, 1, 2])
    assert sum(from_probs.table.get_column("nPredictions")) == 3
    with pytest.raises(TableError, match="exactly one"):
        sg.plot.confusion_matrix(y_true=[0])


def test_pr_and_roc_curves_of_a_perfect_classifier():
    y_true = np.array([0, 0, 1, 1])
    probas = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.1, 0.9]])
    pr = sg.plot.pr_curve(y_true, probas, labels=["neg", "pos"])
    rows = [row for _, row in pr.table.iterrows() if row[0] == "pos"]
    assert len(rows) == 21 and all(precision == 1.0 for _, _, precision in rows)
    roc = sg.plot.roc_curve(y_true, probas, labels=["neg", "pos"], classes_to_plot=[1])
    points = [(fpr, tpr) for _, (_, fpr, tpr) in roc.table.iterrows()]
    assert points[0] == (0.0, 0.0) and (0.0, 1.0) in points and points[-1] == (1.0, 1.0)
    assert roc.spec["encoding"]["x"]["title"] == "False positive rate"


def test_plot_table_resolves_wandb_placeholders_and_checks_fields():
    table = sg.Table(columns=["step", "val"], data=[[0, 1.0]])
    spec = {
        "mark": "line",
        "encoding": {"x": {"field": "${field:x}"}, "y": {"field": "${field:y}"}},
        "title": "${string:t}",
    }
    chart = sg.plot_table(spec, table, {"x": "step", "y": "val"}, {"t": "My chart"})
    assert chart.spec["encoding"]["x"]["field"] == "step" and chart.spec["title"] == "My chart"
    assert spec["encoding"]["x"]["field"] == "${field:x}"  # the caller's dict is left alone
    assert sg.plot_table("wandb/line/v0", table, {"x": "step", "y": "val"}).spec["mark"]["type"] == "line"
    with pytest.raises(TableError, match="\\['nope'\\]"):
        sg.plot_table(spec, table, {"x": "nope", "y": "val"})
    with pytest.raises(TableError, match="unknown chart preset"):
        sg.plot_table("wandb/unknown/v9", table, {})
