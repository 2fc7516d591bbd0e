"""The reading side of test_reader_fuzz, in its own process so that a hang or a crash costs one input, not the
suite: reads length-prefixed logs on stdin, answers one JSON line per log on stdout.

Each log is read as a user's tools read it: `read_framed_log` on the bytes, `iter_frames` on a file, then
`decode_payload` on every frame. The answer names what came back (frames, torn tail, rows per frame or the
error's class) and whether any exception was not one of Spyglass's typed errors.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import tempfile

from spyglass.errors import CorruptLogError, SpyglassError
from spyglass.store.arrow_codec import decode_payload
from spyglass.store.framed_log import iter_frames, read_framed_log


def _decode(payload: bytes) -> int | str:
    try:
        return decode_payload(payload).num_rows
    except SpyglassError as error:
        return f"error:{type(error).__name__}"


def read_one(data: bytes, path: str) -> dict:
    answer: dict = {"untyped": None}
    try:
        log = read_framed_log(data)
        answer.update(frames=len(log.frames), torn=log.torn is not None, corrupt=None)
        answer["rows"] = [_decode(frame.payload) for frame in log.frames]
    except CorruptLogError as error:
        answer.update(frames=None, torn=False, corrupt=error.offset, rows=[])
    except SpyglassError as error:
        answer.update(frames=None, torn=False, corrupt=None, rows=[], typed=type(error).__name__)
    except Exception as error:  # the oracle: anything else is a reader bug
        answer["untyped"] = f"read_framed_log: {type(error).__name__}: {error}"
        return answer
    with open(path, "wb") as file:
        file.write(data)
    try:
        streamed = sum(1 for _ in iter_frames(path))
        if answer["frames"] is not None and streamed != answer["frames"]:
            answer["untyped"] = f"iter_frames returned {streamed} frames, read_framed_log {answer['frames']}"
    except SpyglassError:
        pass
    except Exception as error:
        answer["untyped"] = f"iter_frames: {type(error).__name__}: {error}"
    return answer


def main() -> int:
    stdin, stdout = sys.stdin.buffer, sys.stdout
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "history.sglog")
        while header := stdin.read(4):
            (length,) = struct.unpack("<I", header)
            data = stdin.read(length)
            stdout.write(json.dumps(read_one(data, path)) + "\n")
            stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
