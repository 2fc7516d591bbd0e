"""What wandb accepts is accepted: numpy scalars and 0-d arrays in tables, unequal line_series, pyplot."""

from __future__ import annotations

import json

import numpy as np
import pytest

import spyglass as sg


def test_table_add_data_takes_numpy_scalars_and_0d_arrays(store):
    table = sg.Table(columns=["step", "loss", "name"])
    table.add_data(np.int64(1), np.array(0.5), "a")
    table.add_data(2, np.float32(0.25), "b")
    table.add_data(np.array(3), 0.125, "c")
    assert table.get_column("loss") == [0.5, 0.25, 0.125]
    assert table.get_column("step") == [1, 2, 3]


def test_line_series_of_unequal_lengths_is_cut_to_the_shorter_as_wandb(store):
    chart = sg.plot.line_series(xs=[0, 1, 2, 3], ys=[[1, 2, 3, 4], [5, 6]], keys=["long", "short"])
    rows = chart.table.data
    assert [row for row in rows if row[1] == "short"] == [[0, "short", 5], [1, "short", 6]]
    assert len([row for row in rows if row[1] == "long"]) == 4
    per_line = sg.plot.line_series(xs=[[0, 1, 2], [0, 1]], ys=[[1, 2], [3, 4, 5]])
    assert len(per_line.table.data) == 4


def test_logging_the_pyplot_module_records_its_current_figure_as_an_image(store):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    run = sg.init(project="p")
    plt.plot([1, 2, 3], [3, 1, 2])
    run.log({"chart": plt, "figure": plt.gcf()})
    run.finish()
    row = sg.Api().run(f"p/{run.id}").history(samples=None, pandas=False).to_pylist()[0]
    for key in ("chart", "figure"):
        reference = json.loads(row[key])
        assert reference["_type"] == "image" and reference["width"] > 0
        assert (store / "p" / run.id / reference["path"]).stat().st_size > 1000
    assert sg.Image(plt).width > 0
