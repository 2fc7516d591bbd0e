"""log({"preds": table}) stores a Parquet version per step, referenced in history; the read API loads it."""

from __future__ import annotations

import json
import re

import numpy as np
import pyarrow.parquet as pq
import pytest

import spyglass as sg
from spyglass.data_types.reference import decode_reference
from spyglass.data_types.table_storage import ROW_GROUP_ROWS


def log_two_versions(store):
    run = sg.init(project="tables")
    table = sg.Table(columns=["id", "img", "label"])
    for index in range(3):
        table.add_data(
            index, sg.Image(np.full((6, 5, 3), index * 40, np.uint8), caption=f"#{index}"), f"c{index}"
        )
    run.log({"preds": table, "acc": 0.5})
    run.log({"acc": 0.6})
    table.add_data(3, None, "c3")
    run.log({"preds": table, "acc": 0.7})
    run.finish()
    return run, table


def test_each_logged_version_is_a_parquet_file_referenced_from_history(store):
    run, _ = log_two_versions(store)
    history = sg.Api().run(f"tables/{run.id}").history(samples=None, pandas=False)
    cells = history.column("preds").to_pylist()
    assert cells[1] is None
    first, second = decode_reference(cells[0]), decode_reference(cells[2])
    assert re.fullmatch(r"media/table/preds_0_[0-9a-f]{8}\.parquet", first["path"])
    assert re.fullmatch(r"media/table/preds_2_[0-9a-f]{8}\.parquet", second["path"])
    assert (first["nrows"], second["nrows"], second["ncols"]) == (3, 4, 3)
    assert second["columns"] == [
        {"name": "id", "type": "integer"},
        {"name": "img", "type": "image"},
        {"name": "label", "type": "string"},
    ]
    # compact JSON, as the contract says
    assert ", " not in cells[0] and cells[0].startswith('{"_type":"table"')


def test_the_parquet_file_is_zstd_with_row_groups_and_media_cells_as_references(store):
    run, _ = log_two_versions(store)
    reference = decode_reference(sg.Api().run(f"tables/{run.id}").summary["preds"])
    parquet = pq.ParquetFile(f"{run.dir}/{reference['path']}")
    assert parquet.metadata.row_group(0).column(0).compression == "ZSTD"
    assert json.loads(parquet.schema_arrow.metadata[b"spyglass"])["columns"][1] == {
        "name": "img",
        "type": "image",
    }
    images = parquet.read().column("img").to_pylist()
    assert images[3] is None
    image = decode_reference(images[0])
    assert image["_type"] == "image" and (image["width"], image["height"], image["caption"]) == (5, 6, "#0")
    assert re.fullmatch(r"media/images/preds_img_2_[0-9a-f]{8}\.png", image["path"])
    with open(f"{run.dir}/{image['path']}", "rb") as file:
        assert file.read(4) == b"\x89PNG"


def test_summary_keeps_the_latest_reference_and_run_table_loads_it(store):
    run, _ = log_two_versions(store)
    stored = sg.Api().run(f"tables/{run.id}")
    assert decode_reference(stored.summary["preds"])["nrows"] == 4
    latest = stored.table("preds")
    assert latest.num_rows == 4 and latest.column("label").to_pylist() == ["c0", "c1", "c2", "c3"]
    assert stored.table("preds", step=0).num_rows == 3
    with pytest.raises(KeyError, match="at step 1"):
        stored.table("preds", step=1)
    with pytest.raises(KeyError, match="nothing under 'nope'"):
        stored.table("nope")


def test_a_big_table_is_split_into_row_groups(store):
    run = sg.init(project="tables")
    rows = ROW_GROUP_ROWS * 2 + 10
    run.log({"big": sg.Table(dataframe=_frame(rows))})
    run.finish()
    reference = decode_reference(sg.Api().run(f"tables/{run.id}").summary["big"])
    assert pq.ParquetFile(f"{run.dir}/{reference['path']}").metadata.num_row_groups == 3


def _frame(rows):
    import pandas as pd

    return pd.DataFrame({"x": np.arange(rows), "y": np.random.default_rng(0).random(rows)})


def test_logging_the_same_table_twice_at_one_step_writes_one_file(store):
    run = sg.init(project="tables")
    table = sg.Table(columns=["a"], data=[[1]])
    run.log({"t": table}, step=5)
    run.log({"t": table}, step=5)
    run.finish()
    assert len(list((store / "tables" / run.id / "media" / "table").iterdir())) == 1


def test_media_logged_directly_land_under_media_kinds(store):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    run = sg.init(project="tables")
    figure, axes = plt.subplots()
    axes.plot([1, 2, 3])
    run.log(
        {
            "img": sg.Image(np.zeros((3, 3))),
            "hist": sg.Histogram([1, 2, 2, 3], num_bins=3),
            "fig": figure,
            "page": sg.Html("<b>bold</b>"),
            "sound": sg.Audio(np.zeros(800), sample_rate=8000),
            "clip": sg.Video(np.zeros((2, 3, 4, 4), np.uint8), fps=2),
            "cloud": sg.Object3D(np.zeros((5, 3))),
            "loss": 1.0,
        }
    )
    plt.close(figure)
    run.finish()
    row = sg.Api().run(f"tables/{run.id}").history(pandas=False).to_pylist()[0]
    kinds = {
        key: decode_reference(row[key]) for key in ("img", "hist", "fig", "page", "sound", "clip", "cloud")
    }
    assert kinds["hist"] == {
        "_type": "histogram",
        "bins": [1.0, 1 + 2 / 3, 1 + 4 / 3, 3.0],
        "values": [1, 2, 1],
    }
    assert kinds["fig"]["_type"] == "image" and kinds["fig"]["path"].startswith("media/images/fig_0_")
    assert kinds["page"]["path"].endswith(".html") and kinds["sound"]["path"].endswith(".wav")
    assert kinds["clip"]["path"].endswith(".gif") and kinds["cloud"]["path"].endswith(".pts.json")
    for reference in kinds.values():
        if "path" in reference:
            assert (store / "tables" / run.id / reference["path"]).is_file()


def test_plain_number_logging_never_calls_the_rich_value_converter(store, monkeypatch):
    run = sg.init(project="tables")
    calls = []
    original = run._history.convert_rich
    run._history.convert_rich = lambda flat, step: (calls.append(step), original(flat, step))
    for step in range(5):
        run.log({"loss": 1.0 / (step + 1), "name": "x"})
    run.log({"loss": np.float32(0.5), "name": "x"})  # slow path, but nothing rich: converter is a no-op
    run.log({"t": sg.Table(columns=["a"], data=[[1]])})
    run.finish()
    assert calls == [5, 6]
