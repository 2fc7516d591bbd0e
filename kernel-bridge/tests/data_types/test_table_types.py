"""Declared and inferred column types; mixed types raise an error naming the column, or become JSON text."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

import spyglass as sg
from spyglass.base.text_checks import InvalidTextError, LimitExceededError, TextReplacedWarning
from spyglass.data_types import ColumnTypeError


def test_a_column_mixing_numbers_and_text_names_the_column_the_types_and_the_row():
    with pytest.raises(ColumnTypeError) as caught:
        sg.Table(columns=["id", "value"], data=[[1, 1.5], [2, "high"], [3, 2.0]])
    message = str(caught.value)
    assert "'value'" in message and "float" in message and "str" in message and "row 1" in message
    assert caught.value.column == "value"


def test_allow_mixed_types_stores_every_value_as_json_text():
    table = sg.Table(columns=["v"], data=[[1], ["two"], [{"three": 3}], [None]], allow_mixed_types=True)
    assert table.get_column("v") == ["1", "two", '{"three": 3}', None]
    assert table.column_types() == [{"name": "v", "type": "string"}]


def test_rows_added_later_must_keep_the_column_type():
    table = sg.Table(columns=["v"], data=[["a"]])
    with pytest.raises(ColumnTypeError, match="'v'"):
        table.add_data(1)
    assert table.data == [["a"]]  # the refused row left no trace


def test_declared_dtypes_convert_and_check_values():
    table = sg.Table(columns=["a", "b", "img"], dtype=[float, "string", sg.Image])
    table.add_data(1, "x", None)
    assert table.column_types() == [
        {"name": "a", "type": "number"},
        {"name": "b", "type": "string"},
        {"name": "img", "type": "image"},
    ]
    assert table.get_column("a") == [1.0]
    bad = sg.Table(columns=["img"], dtype={"img": "image"})
    with pytest.raises(ColumnTypeError, match="sg.Image"):
        bad.add_data("not an image")


def test_pyarrow_and_numpy_dtypes_are_accepted():
    table = sg.Table(columns=["a", "b"], dtype=[pa.int32(), np.float32], data=[[1, 2.0]])
    assert table.to_arrow().schema.types == [pa.int32(), pa.float32()]


def test_an_unknown_dtype_is_refused_with_the_choices():
    with pytest.raises(TypeError, match="not understood"):
        sg.Table(columns=["a"], dtype="complex-thing")


def test_images_and_other_media_mixed_in_one_column_are_refused():
    with pytest.raises(ColumnTypeError, match="(?i)histogram, image.*its own column"):
        sg.Table(columns=["m"], data=[[sg.Image(np.zeros((2, 2)))], [sg.Histogram([1, 2])]]).column_types()


def test_dtype_with_a_dataframe_is_cast_by_arrow():
    import pandas as pd

    table = sg.Table(dataframe=pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}), dtype={"a": float})
    assert table.to_arrow().schema.field("a").type == pa.float64()
    with pytest.raises(ColumnTypeError, match="cannot cast"):
        sg.Table(dataframe=pd.DataFrame({"b": ["x", "y"]}), dtype={"b": int})


def test_missing_values_in_rows_do_not_force_a_conversion_per_row():
    table = sg.Table(columns=["a", "b"])
    for index in range(1000):
        table.add_data(index, None if index % 2 else "text")
    assert len(table) == 1000 and table.to_arrow().column("b").num_chunks <= 3
    assert table.get_column("b")[:3] == ["text", None, "text"]


def test_text_cells_with_a_lone_surrogate_keep_their_text_with_u_fffd_and_names_are_checked():
    with pytest.warns(TextReplacedWarning, match=r"sg.Table column 'file'"):
        table = sg.Table(columns=["id", "file"], data=[[1, "caf\udce9.txt"], [2, "ok"]])
    assert table.get_column("file") == ["caf\ufffd.txt", "ok"]
    with pytest.raises(InvalidTextError, match=r"sg.Table column name 'c\\udcff'"):
        sg.Table(columns=["c\udcff"], data=[[1]])
    with pytest.raises(LimitExceededError, match="limited to 256"):
        table.add_column("n" * 300, [1, 2])


def test_html_with_a_lone_surrogate_keeps_its_text_with_u_fffd():
    with pytest.warns(TextReplacedWarning, match="sg.Html text"):
        assert sg.Html("<b>\udcff</b>").html == "<b>\ufffd</b>"
