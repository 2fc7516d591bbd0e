"""What a call records of its values: secrets redacted, large or binary ones by reference, others by repr."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import math
import os

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from conftest import read_calls
from PIL import Image

import spyglass as sg
from spyglass.traces import REDACTED


@sg.op
def echo(value):
    return value


def stored_bytes(session, reference):
    data = (session.path / reference["path"]).read_bytes()
    assert reference["size"] == len(data) and reference["sha256"] == hashlib.sha256(data).hexdigest()
    return data


def test_secrets_in_common_argument_and_key_names_are_redacted(traced_store):
    root, _ = traced_store

    @sg.op
    def call_api(prompt, api_key, headers=None, **options):
        return "ok"

    call_api(
        "hi", "sk-positional", headers={"Authorization": "Bearer x", "Accept": "json"}, OPENAI_API_KEY="k2"
    )
    call_api("hi", api_key="sk-keyword", password="p", max_tokens=5)
    first, second = read_calls(root)
    assert first.inputs == {
        "prompt": "hi",
        "api_key": REDACTED,
        "headers": {"Authorization": REDACTED, "Accept": "json"},
        "OPENAI_API_KEY": REDACTED,
    }
    assert second.inputs == {"prompt": "hi", "api_key": REDACTED, "password": REDACTED, "max_tokens": 5}
    log = (first_session_dir(root) / "calls.sglog").read_bytes()
    assert b"sk-positional" not in log and b"sk-keyword" not in log and b"Bearer x" not in log


def first_session_dir(root):
    (directory,) = (root / "proj" / ".traces").iterdir()
    return directory


def test_extra_names_can_be_redacted(store):
    sg.init_traces("proj", dir=store, redact=["customer_email"])
    try:
        echo({"customer_email": "a@b.c", "plan": "pro"})
        (call,) = read_calls(store)
    finally:
        sg.finish_traces()
    assert call.inputs == {"value": {"customer_email": REDACTED, "plan": "pro"}}


def test_binary_arrays_frames_and_images_are_stored_by_reference(traced_store):
    root, session = traced_store
    array = np.arange(12, dtype=np.float32).reshape(3, 4)
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    image = Image.new("RGB", (4, 3), (255, 0, 0))
    payload = os.urandom(1 << 20)
    assert echo(array) is array
    echo(frame)
    echo(image)
    echo(payload)
    array_call, frame_call, image_call, bytes_call = read_calls(root)
    reference = array_call.inputs["value"]
    assert reference["_type"] == "ref" and reference["kind"] == "ndarray"
    assert (reference["shape"], reference["dtype"]) == ([3, 4], "float32")
    np.testing.assert_array_equal(np.load(io.BytesIO(stored_bytes(session, reference))), array)
    assert array_call.output == reference  # same content, same file
    table_reference = frame_call.inputs["value"]
    assert (table_reference["kind"], table_reference["rows"], table_reference["columns"]) == (
        "dataframe",
        2,
        ["a", "b"],
    )
    round_trip = pq.read_table(io.BytesIO(stored_bytes(session, table_reference))).to_pandas()
    pd.testing.assert_frame_equal(round_trip, frame)
    image_reference = image_call.inputs["value"]
    assert (image_reference["kind"], image_reference["width"], image_reference["height"]) == ("image", 4, 3)
    assert Image.open(io.BytesIO(stored_bytes(session, image_reference))).getpixel((0, 0)) == (255, 0, 0)
    assert stored_bytes(session, bytes_call.inputs["value"]) == payload
    assert len(session.path.joinpath("calls.sglog").read_bytes()) < len(payload)  # not inlined


def test_long_text_and_long_lists_are_stored_by_reference_with_a_preview(traced_store):
    root, session = traced_store
    text = "x" * 200_000
    many = list(range(5000))
    assert echo(text) == text
    echo(many)
    text_call, list_call = read_calls(root)
    reference = text_call.output
    assert (reference["kind"], reference["length"]) == ("text", 200_000)
    assert reference["preview"] == "x" * 1000
    assert stored_bytes(session, reference).decode() == text
    listed = list_call.inputs["value"]
    assert (listed["kind"], listed["length"], listed["preview"]) == ("json", 5000, [0, 1, 2, 3, 4])
    assert json.loads(stored_bytes(session, listed)) == many


class HostileRepr:
    def __repr__(self):
        raise RuntimeError("no repr for you")


class Opaque:
    __slots__ = ()


@dataclasses.dataclass
class Settings:
    name: str
    api_key: str


def test_cyclic_and_unserializable_values_are_recorded_by_type_and_repr(traced_store):
    root, _ = traced_store
    cyclic = [1, 2]
    cyclic.append(cyclic)
    loop = {"name": "loop"}
    loop["self"] = loop
    hostile = HostileRepr()
    assert echo(cyclic) is cyclic
    assert echo(loop) is loop
    assert echo(hostile) is hostile
    echo(Opaque())
    echo(Settings("s", "secret"))
    echo({"nan": math.nan, "inf": -math.inf})
    calls = read_calls(root)
    list_value = calls[0].inputs["value"]
    assert list_value[:2] == [1, 2] and list_value[2]["_type"] == "repr"
    assert list_value[2]["reason"].startswith("cycle") and list_value[2]["repr"] == "[1, 2, [...]]"
    assert calls[1].inputs["value"]["self"]["reason"].startswith("cycle")
    assert calls[2].inputs["value"] == {
        "_type": "repr",
        "type": f"{__name__}.HostileRepr",
        "repr": "<repr raised RuntimeError>",
    }
    assert calls[3].inputs["value"]["type"] == f"{__name__}.Opaque"
    assert calls[4].inputs["value"] == {
        "_type": "object",
        "type": f"{__name__}.Settings",
        "value": {"name": "s", "api_key": REDACTED},
    }
    assert calls[5].inputs["value"] == {"nan": "NaN", "inf": "-Infinity"}


def test_a_value_whose_conversion_raises_costs_only_that_value(traced_store):
    root, _ = traced_store

    class Exploding:
        def model_dump(self):
            raise TypeError("cannot dump")

    exploding = Exploding()
    assert echo(exploding) is exploding
    (call,) = read_calls(root)
    assert call.status == "success"
    assert call.inputs["value"]["_type"] == "repr" and "cannot dump" in call.inputs["value"]["reason"]


def test_text_without_a_utf8_form_is_stored_with_replacement_characters(traced_store):
    root, _ = traced_store
    lone = "half \ud800 surrogate"
    assert echo(lone) is lone
    (call,) = read_calls(root)
    assert call.inputs == {"value": "half \ufffd surrogate"} and call.output == "half \ufffd surrogate"
