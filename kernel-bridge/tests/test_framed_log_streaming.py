"""iter_frames streams a log frame by frame with exactly the reading rules of read_framed_log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spyglass.errors import CorruptLogError
from spyglass.store.framed_log import FramedLogWriter, iter_frames, read_framed_log

FIXTURE_DIR = Path(__file__).parents[2] / "packages" / "protocol" / "fixtures" / "framed-log"
CASES = json.loads((FIXTURE_DIR / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_iter_frames_agrees_with_read_framed_log_on_every_golden_file(name):
    path = FIXTURE_DIR / name
    if CASES[name]["corrupt"] is not None:
        with pytest.raises(CorruptLogError) as caught:
            list(iter_frames(path))
        assert caught.value.offset == CASES[name]["corrupt"]["offset"]
        assert str(path) in str(caught.value)
    else:
        assert list(iter_frames(path)) == read_framed_log(path).frames


def test_iter_frames_skips_frames_up_to_after_seq(tmp_path):
    with FramedLogWriter(tmp_path / "log.sglog") as writer:
        for index in range(5):
            writer.append(bytes([index]) * 10)
    assert [frame.seq for frame in iter_frames(tmp_path / "log.sglog", after_seq=2)] == [3, 4]


def test_iter_frames_of_an_empty_file_yields_nothing(tmp_path):
    (tmp_path / "empty.sglog").write_bytes(b"")
    assert list(iter_frames(tmp_path / "empty.sglog")) == []
