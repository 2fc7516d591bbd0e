"""The golden shapes in packages/protocol/fixtures/{run-json,bundles,server} are what Python produces today:
run.json, the MIME bundles and the workspace endpoints' answers (the TypeScript tests parse the same
files)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pyarrow as pa
import pytest
from shape_fixtures import FIXTURE_DIR, fixtures

pytestmark = pytest.mark.filterwarnings("ignore:.*NaN or infinite values")

NAMES = sorted(
    str(path.relative_to(FIXTURE_DIR).with_suffix(""))
    for folder in ("run-json", "bundles", "server")
    for path in (FIXTURE_DIR / folder).glob("*.json")
)


@pytest.fixture(scope="module")
def built() -> dict[str, dict[str, Any]]:
    return fixtures()


def _arrow(text: str) -> pa.Table:
    return pa.ipc.open_stream(base64.b64decode(text)).read_all()


def _without_arrow_bytes(value: Any, tables: list[pa.Table]) -> Any:
    """`value` with each base64 Arrow stream ("ipc", "inline_arrow") replaced by its place in `tables`: the
    bytes may differ between pyarrow versions, the tables they hold may not."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in ("ipc", "inline_arrow") and isinstance(item, str):
                tables.append(_arrow(item))
                out[key] = len(tables) - 1
            else:
                out[key] = _without_arrow_bytes(item, tables)
        return out
    if isinstance(value, list):
        return [_without_arrow_bytes(item, tables) for item in value]
    return value


def test_the_golden_set_is_the_generated_set(built):
    assert sorted(built) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_python_produces_the_golden_shape(built, name):
    stored_tables: list[pa.Table] = []
    fresh_tables: list[pa.Table] = []
    stored = _without_arrow_bytes(json.loads((FIXTURE_DIR / f"{name}.json").read_text()), stored_tables)
    fresh = _without_arrow_bytes(json.loads(json.dumps(built[name])), fresh_tables)
    assert stored == fresh
    assert len(stored_tables) == len(fresh_tables)
    for old, new in zip(stored_tables, fresh_tables, strict=True):
        assert old.schema.equals(new.schema, check_metadata=True)
        # As JSON text, so a NaN equals a NaN.
        assert json.dumps(old.to_pydict()) == json.dumps(new.to_pydict())


def test_the_metric_rows_are_the_arrow_stream_s():
    fixture = json.loads((FIXTURE_DIR / "server" / "metric.json").read_text())["data"]
    table = _arrow(fixture["ipc"])
    assert json.loads(table.schema.metadata[b"spyglass"]) == fixture["metadata"]
    assert [{"name": f.name, "type": str(f.type)} for f in table.schema] == fixture["schema"]
    assert table.column("step").to_pylist() == fixture["rows"]["step"]
