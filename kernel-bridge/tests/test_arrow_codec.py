"""Frame payloads are self-contained Arrow IPC streams that standard Arrow readers decode."""

from __future__ import annotations

import pyarrow as pa
import pytest

from spyglass.errors import StoreError
from spyglass.store.arrow_codec import decode_payload, encode_batch


def sample_batch() -> pa.RecordBatch:
    return pa.record_batch(
        {
            "_step": pa.array([0, 1, 2], pa.int64()),
            "loss": pa.array([0.5, float("nan"), None], pa.float64()),
            "train/acc ü": pa.array([1.0, float("inf"), -float("inf")]),
            "note": pa.array(["a", None, "ç"], pa.string()),
        }
    )


def test_encoded_batch_decodes_to_an_equal_batch():
    batch = sample_batch()
    decoded = decode_payload(encode_batch(batch))
    assert decoded.schema == batch.schema
    assert decoded.to_pylist()[0] == batch.to_pylist()[0]
    assert decoded.column("note").to_pylist() == ["a", None, "ç"]
    assert str(decoded.column("loss")[1]) == "nan"


def test_encoded_batch_is_a_plain_arrow_ipc_stream_with_its_own_schema():
    payload = encode_batch(sample_batch())
    reader = pa.ipc.open_stream(payload)
    assert reader.schema.names == ["_step", "loss", "train/acc ü", "note"]
    assert reader.read_all().num_rows == 3


def test_encoded_batch_has_the_bytes_of_pyarrows_stream_writer():
    batch = sample_batch()
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    assert encode_batch(batch) == sink.getvalue().to_pybytes()


def test_decode_accepts_a_memoryview_slice():
    payload = encode_batch(sample_batch())
    framed = b"header" + payload + b"trailer"
    assert decode_payload(memoryview(framed)[6 : 6 + len(payload)]).num_rows == 3


def test_a_stream_without_batches_decodes_to_zero_rows_with_its_schema():
    sink = pa.BufferOutputStream()
    pa.ipc.new_stream(sink, sample_batch().schema).close()
    decoded = decode_payload(sink.getvalue().to_pybytes())
    assert decoded.num_rows == 0 and decoded.schema == sample_batch().schema


def test_a_stream_with_several_batches_decodes_to_one_batch():
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, sample_batch().schema) as writer:
        writer.write_batch(sample_batch())
        writer.write_batch(sample_batch())
    assert decode_payload(sink.getvalue().to_pybytes()).num_rows == 6


def test_garbage_is_refused_with_a_store_error():
    with pytest.raises(StoreError, match="not a valid Arrow IPC stream"):
        decode_payload(b"\x00\x01\x02 definitely not arrow")
