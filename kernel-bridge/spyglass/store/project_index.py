"""The project index in the bucket: `<project>/.index/runs.parquet` plus one pending record per state change.

The runs table of a bucket project opens with one GET of runs.parquet and one LIST of the pending records,
instead of a GET of every run's run.json. Writers put `<project>/.index/pending/<run_id>.json` (put_pending)
when a run changes state; compact() folds the pending records into runs.parquet, replaced with If-Match
(created with If-None-Match the first time), and deletes the records it folded. Any reader may compact, and a
writer does at finish. A record rewritten while a compaction ran is not deleted (its ETag changed), so the
newer state is folded by the next compaction. docs/team.md, "Readers".
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..base.errors import ObjectMissing, StoreError
from ..base.json_values import json_safe
from .bucket import Bucket

INDEX_DIR = ".index"
RUNS_FILE = "runs.parquet"
PENDING_DIR = "pending"
MAX_COMPACTION_ATTEMPTS = 5

# One row per run. config, summary and tags are JSON text, so the schema does not change with a run's keys.
INDEX_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("name", pa.string()),
        ("state", pa.string()),
        ("config", pa.string()),
        ("summary", pa.string()),
        ("host", pa.string()),
        ("user", pa.string()),
        ("created_at", pa.float64()),
        ("updated_at", pa.float64()),
        ("heartbeat_at", pa.float64()),
        ("finished_at", pa.float64()),
        ("tags", pa.string()),
        ("group", pa.string()),
        ("job_type", pa.string()),
        ("metrics", pa.string()),  # define_metric's definitions (the runs table's step metric per metric)
        ("alerts", pa.string()),  # the last MAX_INDEXED_ALERTS run.alert() records
    ]
)
MAX_INDEXED_ALERTS = 20  # the runs table shows the count and the latest (workspace_data/index.py keeps 20)
_NUMBERS = ("created_at", "updated_at", "heartbeat_at", "finished_at")
_TEXTS = ("name", "state", "host", "user", "group", "job_type")


class IndexFormatError(StoreError):
    """A project index object in the bucket is not what Spyglass writes (its key is named)."""


def runs_key(project: str) -> str:
    return f"{project}/{INDEX_DIR}/{RUNS_FILE}"


def pending_prefix(project: str) -> str:
    return f"{project}/{INDEX_DIR}/{PENDING_DIR}/"


def index_record(meta: dict[str, Any]) -> dict[str, Any]:
    """The index row of a run from its run.json contents (config and summary as JSON text)."""
    environment = meta.get("environment") if isinstance(meta.get("environment"), dict) else {}
    record: dict[str, Any] = {"run_id": str(meta.get("run_id") or "")}
    for name in _TEXTS:
        value = meta.get(name) if name != "user" else meta.get("user") or environment.get("user")
        record[name] = value if isinstance(value, str) else None
    for name in _NUMBERS:
        value = meta.get(name)
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        record[name] = float(value) if is_number else None
    record["config"] = _json_text(meta.get("config") if isinstance(meta.get("config"), dict) else {})
    record["summary"] = _json_text(meta.get("summary") if isinstance(meta.get("summary"), dict) else {})
    record["tags"] = _json_text([tag for tag in meta.get("tags") or [] if isinstance(tag, str)])
    record["metrics"] = _json_text(meta.get("metrics") if isinstance(meta.get("metrics"), dict) else {})
    alerts = meta.get("alerts") if isinstance(meta.get("alerts"), list) else []
    record["alerts"] = _json_text(alerts[-MAX_INDEXED_ALERTS:])
    return record


def record_metadata(record: dict[str, Any], project: str) -> dict[str, Any]:
    """A run.json stand-in built from an index row (for listing a run whose run.json was not fetched)."""
    meta: dict[str, Any] = {"format": 1, "project": project, "indexed": True}
    for name in ("run_id", *_TEXTS, *_NUMBERS):
        meta[name] = record.get(name)
    for name, empty in (("config", {}), ("summary", {}), ("tags", []), ("metrics", {}), ("alerts", [])):
        meta[name] = _parse_json(record.get(name), empty)
    return meta


def put_pending(bucket: Bucket, project: str, meta: dict[str, Any]) -> None:
    """Record a run's state change for the index (a writer calls this at init and at each state change)."""
    record = index_record(meta)
    if not record["run_id"]:
        raise StoreError("a pending index record needs the run's run_id")
    body = json.dumps(record, allow_nan=False).encode("utf-8")
    bucket.put(f"{pending_prefix(project)}{record['run_id']}.json", body)


@dataclass
class ProjectIndex:
    """The index of one project as read: rows by run id (pending records folded in), and what was read."""

    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    etag: str | None = None  # runs.parquet's, None when there is none yet
    pending: dict[str, str] = field(default_factory=dict)  # pending key -> ETag, as folded into rows
    exists: bool = False  # runs.parquet or at least one pending record was found


def read_index(bucket: Bucket, project: str) -> ProjectIndex:
    """GET runs.parquet and LIST (then GET) the pending records; the newest `updated_at` of a run wins."""
    index = ProjectIndex()
    key = runs_key(project)
    try:
        data, index.etag = bucket.get_with_etag(key)
    except ObjectMissing:
        data = None
    if data is not None:
        index.exists = True
        for row in _parse_runs(data, key):
            index.rows[row["run_id"]] = row
    for info in bucket.list(pending_prefix(project)):
        if not info.key.endswith(".json"):
            continue
        try:
            body = bucket.get(info.key)
        except ObjectMissing:  # folded and deleted by a compaction meanwhile
            continue
        record = _parse_pending(body)
        if record is None:
            continue
        index.exists = True
        index.pending[info.key] = info.etag
        _fold(index.rows, record)
    return index


def compact(bucket: Bucket, project: str) -> ProjectIndex:
    """Fold the pending records into runs.parquet (If-Match; If-None-Match when new), delete those folded.

    Retried when another compaction replaced runs.parquet meanwhile; returns the index as written.
    """
    for _ in range(MAX_COMPACTION_ATTEMPTS):
        index = read_index(bucket, project)
        if not index.pending:
            return index
        body = runs_parquet(index.rows.values())
        if index.etag is None:
            written = bucket.create(runs_key(project), body)
        else:
            written = bucket.replace(runs_key(project), body, index.etag)
        if written is None:
            continue  # another reader compacted first: read its result and fold again
        index.etag = written
        _delete_folded(bucket, index.pending)
        index.pending = {}
        return index
    raise StoreError(
        f"could not compact the index of project {project!r}: runs.parquet kept changing "
        f"({MAX_COMPACTION_ATTEMPTS} attempts); it is retried at the next read"
    )


def runs_parquet(rows: Iterable[dict[str, Any]]) -> bytes:
    """runs.parquet's bytes for these rows, sorted by run id (zstd)."""
    ordered = sorted(rows, key=lambda row: row["run_id"])
    table = pa.Table.from_pylist([{name: row.get(name) for name in INDEX_SCHEMA.names} for row in ordered],
                                 schema=INDEX_SCHEMA)  # fmt: skip
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def _delete_folded(bucket: Bucket, folded: dict[str, str]) -> None:
    for key, etag in folded.items():
        info = bucket.head(key)
        # Rewritten since it was read (a newer state change): keep it for the next compaction.
        if info is not None and info.etag == etag:
            bucket.delete(key)


def _fold(rows: dict[str, dict[str, Any]], record: dict[str, Any]) -> None:
    current = rows.get(record["run_id"])
    if current is None or (record.get("updated_at") or 0.0) >= (current.get("updated_at") or 0.0):
        rows[record["run_id"]] = record


def _parse_runs(data: bytes, key: str) -> list[dict[str, Any]]:
    try:
        table = pq.read_table(pa.py_buffer(data))
    except (pa.ArrowException, OSError) as error:
        raise IndexFormatError(f"the project index {key} is not readable Parquet: {error}") from error
    if "run_id" not in table.column_names:
        raise IndexFormatError(f"the project index {key} has no run_id column")
    # Column by column (10,000 rows: a third of to_pylist's row by row); absent columns read as None.
    names = INDEX_SCHEMA.names
    columns = [
        table.column(name).to_pylist() if name in table.column_names else [None] * table.num_rows
        for name in names
    ]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True) if values[0]]


def _parse_pending(body: bytes) -> dict[str, Any] | None:
    # A record that is not an object with a run id (a hand-made or cut object) is ignored, never fatal.
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("run_id"), str) or not value["run_id"]:
        return None
    return {name: value.get(name) for name in INDEX_SCHEMA.names}


def _json_text(value: Any) -> str:
    return json.dumps(json_safe(value), allow_nan=False, ensure_ascii=False, default=str)


def _parse_json(text: Any, empty: Any) -> Any:
    if not isinstance(text, str):
        return empty
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return empty
    return value if isinstance(value, type(empty)) else empty
