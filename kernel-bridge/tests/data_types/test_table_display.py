"""A displayed table returns the table MIME bundle: inline Arrow when small, else a .tables Parquet file."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import spyglass as sg
from spyglass.data_types.table_display import INLINE_LIMIT, TABLE_MIME_TYPE


def test_a_small_unlogged_table_travels_inline_as_arrow_ipc(store):
    table = sg.Table(columns=["a", "b"], data=[[1, "x"], [2, "y"]])
    bundle = table._repr_mimebundle_()
    data = bundle[TABLE_MIME_TYPE]
    assert (data["run_dir"], data["path"], data["key"], data["step"], data["nrows"]) == (
        None,
        None,
        None,
        None,
        2,
    )
    decoded = pa.ipc.open_stream(base64.b64decode(data["inline_arrow"])).read_all()
    assert decoded.column("b").to_pylist() == ["x", "y"]
    assert "2 rows x 2 columns" in bundle["text/plain"] and "x" in bundle["text/plain"]


def test_a_large_unlogged_table_is_written_under_dot_tables(store):
    rows = INLINE_LIMIT // 8 + 1000
    table = sg.Table(dataframe=pd.DataFrame({"x": np.arange(rows, dtype=np.float64)}))
    data = table._repr_mimebundle_()[TABLE_MIME_TYPE]
    assert data["inline_arrow"] is None and data["run_dir"] == str(store / ".tables")
    assert pq.read_table(store / ".tables" / data["path"]).num_rows == rows
    assert data["nrows"] == rows


def test_an_unlogged_table_with_images_references_media_under_dot_tables(store):
    table = sg.Table(columns=["img"], data=[[sg.Image(np.zeros((2, 2)))]])
    data = table._repr_mimebundle_()[TABLE_MIME_TYPE]
    assert data["run_dir"] == str(store / ".tables")
    cell = pa.ipc.open_stream(base64.b64decode(data["inline_arrow"])).read_all().column("img")[0].as_py()
    assert '"path":"media/images/display_img_' in cell


def test_a_logged_table_references_its_stored_file(store):
    run = sg.init(project="display")
    table = sg.Table(columns=["a"], data=[[1]])
    run.log({"t": table})
    data = table._repr_mimebundle_()[TABLE_MIME_TYPE]
    assert (data["run_dir"], data["key"], data["step"], data["inline_arrow"]) == (run.dir, "t", 0, None)
    assert data["path"].startswith("media/table/t_0_")
    table.add_data(2)  # changed after logging: shown as it is now, inline
    assert table._repr_mimebundle_()[TABLE_MIME_TYPE]["inline_arrow"] is not None
    run.finish()
