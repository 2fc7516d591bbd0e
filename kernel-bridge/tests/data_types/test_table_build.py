"""sg.Table is built from rows, columns and DataFrames, and reads back the same values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import spyglass as sg
from spyglass.data_types import TableError


def test_columns_and_data_make_typed_arrow_columns():
    table = sg.Table(
        columns=["id", "label", "score", "ok"], data=[[1, "cat", 0.5, True], [2, "dog", 0.25, False]]
    )
    assert len(table) == 2
    assert table.column_types() == [
        {"name": "id", "type": "integer"},
        {"name": "label", "type": "string"},
        {"name": "score", "type": "number"},
        {"name": "ok", "type": "boolean"},
    ]
    assert table.get_column("label") == ["cat", "dog"]
    assert table.data == [[1, "cat", 0.5, True], [2, "dog", 0.25, False]]


def test_add_data_add_column_get_column_and_iterrows():
    table = sg.Table(columns=["a", "b"])
    table.add_data(1, "x")
    table.add_data(2, None)
    table.add_column("c", np.array([0.5, 1.5]))
    assert table.columns == ["a", "b", "c"]
    assert list(table.iterrows()) == [(0, [1, "x", 0.5]), (1, [2, None, 1.5])]
    assert table.get_column("c", convert_to="numpy").tolist() == [0.5, 1.5]
    with pytest.raises(TableError, match="2 values for 3 columns"):
        table.add_data(1, 2)
    with pytest.raises(TableError, match="3 values for a table of 2 rows"):
        table.add_column("d", [1, 2, 3])
    with pytest.raises(KeyError, match="no column 'zzz'"):
        table.get_column("zzz")


def test_add_column_to_an_empty_table_starts_it():
    table = sg.Table()
    table.add_column("x", [1, 2, 3])
    table.add_column("y", pd.Series([1.0, 2.0, 3.0]))
    assert len(table) == 3 and table.get_column("y") == [1.0, 2.0, 3.0]


def test_rows_added_in_several_calls_are_concatenated_with_int_to_float_promotion():
    table = sg.Table(columns=["v"])
    table.add_data(1)
    assert table.get_column("v") == [1]
    table.add_data(2.5)
    assert table.get_column("v") == [1.0, 2.5]
    assert table.column_types() == [{"name": "v", "type": "number"}]


def test_pandas_polars_and_pyarrow_frames_keep_values_and_types():
    frame = pd.DataFrame(
        {"i": [1, 2, 3], "f": [0.1, 0.2, None], "s": ["a", "b", "c"], "t": pd.to_datetime(["2024-01-01"] * 3)}
    )
    for source in (frame, pl.from_pandas(frame), pa.Table.from_pandas(frame)):
        table = sg.Table(dataframe=source)
        assert table.columns == ["i", "f", "s", "t"]
        assert [column["type"] for column in table.column_types()] == [
            "integer",
            "number",
            "string",
            "timestamp",
        ]
        assert table.get_column("s") == ["a", "b", "c"]
        assert table.get_column("f")[2] is None


def test_a_pandas_object_column_of_images_becomes_a_media_column():
    images = [sg.Image(np.zeros((4, 4), np.uint8)), None]
    table = sg.Table(dataframe=pd.DataFrame({"n": [1, 2], "img": images}))
    assert table.column_types() == [{"name": "n", "type": "integer"}, {"name": "img", "type": "image"}]
    assert table.get_column("img")[0] is images[0]


def test_a_polars_object_column_of_images_becomes_a_media_column():
    image = sg.Image(np.zeros((4, 4), np.uint8))
    frame = pl.DataFrame({"n": [1, 2], "img": pl.Series([image, None], dtype=pl.Object)})
    table = sg.Table(dataframe=frame)
    assert table.column_types() == [{"name": "n", "type": "integer"}, {"name": "img", "type": "image"}]
    assert table.get_column("img") == [image, None]


def test_dataframe_and_data_together_are_refused():
    with pytest.raises(TableError, match="not both"):
        sg.Table(data=[[1]], dataframe=pd.DataFrame({"a": [1]}))


def test_duplicate_column_names_are_refused():
    with pytest.raises(TableError, match="unique"):
        sg.Table(columns=["a", "a"])
