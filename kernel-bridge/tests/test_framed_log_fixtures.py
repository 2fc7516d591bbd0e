"""The golden framed logs shared with the TypeScript reader are up to date and read as cases.json says."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from spyglass.errors import CorruptLogError
from spyglass.store.arrow_codec import decode_payload
from spyglass.store.framed_log import read_framed_log

GENERATOR = Path(__file__).parent / "fixtures" / "make_framed_log_fixtures.py"


def load_generator():
    spec = importlib.util.spec_from_file_location("make_framed_log_fixtures", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generator = load_generator()
FIXTURE_DIR = generator.OUTPUT_DIR
CASES = json.loads((FIXTURE_DIR / "cases.json").read_text(encoding="utf-8"))


def test_checked_in_fixtures_match_what_the_generator_writes():
    files, cases = generator.build_fixtures()
    # The hostile log (issue 15) is checked in beside them but not in cases.json (see the generator).
    files["hostile-arrow.sglog"] = generator.hostile_arrow_log()
    assert sorted(files) == sorted(path.name for path in FIXTURE_DIR.glob("*.sglog"))
    for name, data in files.items():
        assert (FIXTURE_DIR / name).read_bytes() == data, f"{name} is stale: rerun {GENERATOR.name}"
    assert (FIXTURE_DIR / "cases.json").read_text(encoding="utf-8") == generator.cases_json(cases)


def test_fixtures_cover_every_file_the_contract_names():
    assert set(CASES) == {
        "valid.sglog",
        "torn-header.sglog",
        "torn-payload.sglog",
        "zero-tail.sglog",
        "bad-crc-last.sglog",
        "corrupt-middle.sglog",
        "empty.sglog",
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_reader_returns_what_cases_json_expects(name):
    case = CASES[name]
    data = (FIXTURE_DIR / name).read_bytes()
    if case["corrupt"] is not None:
        with pytest.raises(CorruptLogError) as caught:
            read_framed_log(data)
        assert caught.value.offset == case["corrupt"]["offset"]
        data = data[: caught.value.offset]  # the prefix API: the bytes before the corruption
    contents = read_framed_log(data)
    assert contents.valid_end == case["valid_end"]
    torn = contents.torn
    assert (None if torn is None else {"offset": torn.offset, "reason": torn.reason}) == case["torn"]
    assert len(contents.frames) == len(case["frames"])
    for frame, expected in zip(contents.frames, case["frames"], strict=True):
        batch = decode_payload(frame.payload)
        assert frame.seq == expected["seq"]
        assert batch.num_rows == expected["rows"]
        assert batch.schema.names == list(expected["columns"])
        for column, values in expected["columns"].items():
            assert batch.column(column).to_pylist() == values, column
