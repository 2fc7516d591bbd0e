"""Frame payloads: one record batch as a self-contained Arrow IPC stream (schema, batch, end-of-stream)."""

from __future__ import annotations

import pyarrow as pa

from .errors import StoreError


def encode_batch(batch: pa.RecordBatch) -> bytes:
    """Encode one record batch as an Arrow IPC stream."""
    sink = pa.BufferOutputStream()
    # No IPC buffer compression: the apache-arrow JS reader used with DuckDB-WASM cannot decompress it, and
    # the payload travels over the comm as it is stored.
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def decode_payload(payload: bytes | bytearray | memoryview) -> pa.RecordBatch:
    """Decode a frame payload into one record batch (several batches are concatenated, none gives 0 rows)."""
    try:
        reader = pa.ipc.open_stream(pa.py_buffer(payload))
        batches = list(reader)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError) as error:
        raise StoreError(f"frame payload is not a valid Arrow IPC stream: {error}") from error
    if len(batches) == 1:
        return batches[0]
    if not batches:
        return pa.RecordBatch.from_pylist([], schema=reader.schema)
    return pa.concat_batches(batches)
