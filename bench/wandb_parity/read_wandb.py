"""Read an offline wandb run back from its `.wandb` transaction log (run with .venv-bench's Python).

wandb 0.31 ships no Python reader for the log, so this parses the LevelDB-style framing itself:
a 7-byte file header, 32 KiB blocks, records with a 7-byte header (crc32, length, type) and
FULL/FIRST/MIDDLE/LAST fragments, each payload one `wandb_internal_pb2.Record`.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

from wandb.proto import wandb_internal_pb2 as pb

BLOCK = 32768
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4


def records(path: Path):
    data = path.read_bytes()
    pos, pending = 7, b""
    while pos + 7 <= len(data):
        left = BLOCK - (pos % BLOCK)
        if left < 7:
            pos += left
            continue
        _crc, length, kind = struct.unpack("<IHB", data[pos : pos + 7])
        payload = data[pos + 7 : pos + 7 + length]
        pos += 7 + length
        if kind == FULL:
            yield payload
        elif kind == FIRST:
            pending = payload
        elif kind == MIDDLE:
            pending += payload
        elif kind == LAST:
            yield pending + payload
            pending = b""
        elif kind == 0:
            break


def nested(items) -> dict:
    """wandb records a media value's fields as nested keys (img/_type, img/path): rebuild the dicts."""
    out: dict = {}
    for item in items:
        path = list(item.nested_key) or [item.key]
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = json.loads(item.value_json)
    return out


def read_run(run_dir: Path) -> dict:
    rows, summary, info = [], {}, {}
    for payload in records(next(run_dir.glob("*.wandb"))):
        record = pb.Record()
        record.ParseFromString(payload)
        kind = record.WhichOneof("record_type")
        if kind == "history":
            rows.append(nested(record.history.item))
        elif kind == "summary":
            summary.update(nested(record.summary.update))
        elif kind == "run":
            info = {
                "project": record.run.project,
                "name": record.run.display_name,
                "id": record.run.run_id,
                "start": record.run.start_time.ToNanoseconds(),
            }
        elif kind == "exit":
            info["exit_code"] = record.exit.exit_code
    files_summary = run_dir / "files" / "wandb-summary.json"
    if files_summary.exists():
        summary = json.loads(files_summary.read_text())
    return {"info": info, "rows": rows, "summary": summary}


if __name__ == "__main__":
    root = Path(sys.argv[1])
    # In creation order, as the Spyglass side lists them (directory names only resolve to the second).
    runs = sorted(
        (read_run(r) for r in root.glob("**/offline-run-*")),
        key=lambda r: r["info"].get("start", 0),
    )
    print(json.dumps(runs, default=str))
