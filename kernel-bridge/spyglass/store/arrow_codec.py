"""Frame payloads: one record batch as a self-contained Arrow IPC stream (schema, batch, end-of-stream)."""

from __future__ import annotations

import pyarrow as pa

from ..base.errors import StoreError

# An IPC stream ends with the continuation marker and a zero message length.
_END_OF_STREAM = b"\xff\xff\xff\xff\x00\x00\x00\x00"


def encode_batch(batch: pa.RecordBatch) -> bytes:
    """Encode one record batch as an Arrow IPC stream (schema message, batch message, end-of-stream)."""
    # The bytes pa.ipc.new_stream writes, joined from the two serialized messages: one copy of a payload of
    # megabytes instead of a growing output buffer and a copy out of it (fresh memory costs page faults).
    # No IPC buffer compression: the apache-arrow JS reader used with DuckDB-WASM cannot decompress it, and
    # the payload travels over the comm as it is stored.
    return b"".join((batch.schema.serialize(), batch.serialize(), _END_OF_STREAM))


def decode_payload(payload: bytes | bytearray | memoryview) -> pa.RecordBatch:
    """Decode a frame payload into one record batch (several batches are concatenated, none gives 0 rows)."""
    try:
        reader = pa.ipc.open_stream(pa.py_buffer(payload))
        batches = list(reader)
    except (pa.ArrowException, OSError) as error:
        # ArrowException, not only ArrowInvalid: a mutated header can also declare a type pyarrow does not
        # implement (ArrowNotImplementedError) or a size it cannot allocate (ArrowMemoryError).
        raise StoreError(f"frame payload is not a valid Arrow IPC stream: {error}") from error
    if len(batches) == 1:
        return batches[0]
    if not batches:
        return pa.RecordBatch.from_pylist([], schema=reader.schema)
    return pa.concat_batches(batches)
