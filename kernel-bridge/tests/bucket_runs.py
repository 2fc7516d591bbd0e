"""Runs put into a bucket in the team-store layout for the reader tests (by hand, not by the shipper).

`BucketCopier` copies a local run directory the way a writer on another machine ships it: run.json, whole
frames of each framed log as segment objects (`segments/<stream>/<offset, 16 digits>.sglog` with `crc32c` and
`end` metadata), a pending index record, and history.parquet once the run has ended. Called again, it ships
only the frames appended since, so a test can play a live run.
"""

from __future__ import annotations

import json
from pathlib import Path

from spyglass.store.bucket import Bucket
from spyglass.store.framed_log import read_framed_log
from spyglass.store.project_index import put_pending
from spyglass.store.run_store import PARQUET_FILE, RunDirectory
from spyglass.store.segment_format import CRC_KEY, STREAMS, segment_key, segment_metadata


class BucketCopier:
    """Ships one local run into a bucket, frames past what it shipped before each call."""

    def __init__(self, bucket: Bucket, run_dir: Path, project: str | None = None) -> None:
        self.bucket = bucket
        self.run = RunDirectory(run_dir)
        self.project = project or Path(run_dir).parent.name
        self.run_id = Path(run_dir).name
        self.shipped = {stream: 0 for stream in STREAMS}
        self.state: str | None = None

    def ship(self, frames_per_segment: int | None = None, parquet: bool = True) -> int:
        """Ship new frames (split every `frames_per_segment` frames), run.json, a pending record on a state
        change, and history.parquet when the run ended; return how many segments were created."""
        created = 0
        for stream, name in STREAMS.items():
            created += self._ship_stream(stream, self.run.path / name, frames_per_segment)
        raw = self.run.metadata_path.read_bytes()
        meta = json.loads(raw)
        self.bucket.put(f"{self.project}/{self.run_id}/run.json", raw)
        if meta.get("state") != self.state:
            put_pending(self.bucket, self.project, meta)
            self.state = meta.get("state")
        parquet_path = self.run.path / PARQUET_FILE
        if parquet and meta.get("state") != "running" and parquet_path.is_file():
            self.bucket.upload_file(f"{self.project}/{self.run_id}/{PARQUET_FILE}", parquet_path)
        return created

    def _ship_stream(self, stream: str, path: Path, frames_per_segment: int | None) -> int:
        if not path.is_file():
            return 0
        data = path.read_bytes()
        contents = read_framed_log(data)
        # Cut points: the shipped offset, then frame starts every `frames_per_segment`, then the valid end.
        starts = [frame.offset for frame in contents.frames if frame.offset >= self.shipped[stream]]
        cuts = [self.shipped[stream]]
        if frames_per_segment:
            cuts += [offset for i, offset in enumerate(starts) if i and i % frames_per_segment == 0]
        cuts.append(contents.valid_end)
        created = 0
        for start, end in zip(cuts, cuts[1:], strict=False):
            if end > start:
                put_segment(
                    self.bucket, segment_key(self.project, self.run_id, stream, start), data[start:end], start
                )
                created += 1
        self.shipped[stream] = contents.valid_end
        return created


def put_segment(bucket: Bucket, key: str, data: bytes, start: int, crc: int | None = None) -> None:
    """Create one segment with the writer's metadata (`crc` overrides the checksum, for fault tests)."""
    metadata = segment_metadata(data, start)
    if crc is not None:
        metadata[CRC_KEY] = str(crc)
    if bucket.create(key, data, metadata) is None:
        raise AssertionError(f"segment {key} exists already")
