"""sg.workspace() displays the workspace bundle; the layout endpoint keeps files confined and atomic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import spyglass as sg
from spyglass.errors import InvalidNameError
from spyglass.server.run_access import RunAccessError
from spyglass.server.workspace_layout_handlers import (
    LAYOUT_FILE,
    confined_store_root,
    layout_path,
    list_projects,
    parse_layout_body,
    read_layout,
    write_layout,
)
from spyglass.store.run_store import RunDirectory
from spyglass.workspace_data.display import WORKSPACE_MIME_TYPE


def make_run(root: Path, project: str, run_id: str) -> None:
    run = RunDirectory.create(root, project, run_id)
    run.write_metadata({"format": 1, "run_id": run_id, "project": project, "state": "finished"})


def test_workspace_bundle_names_the_store_project_and_layout_key(tmp_path):
    make_run(tmp_path, "demo", "a")
    make_run(tmp_path, "demo", "b")
    bundle = sg.workspace("demo", store=tmp_path)._repr_mimebundle_()
    assert set(bundle) == {WORKSPACE_MIME_TYPE, "text/plain"}
    assert bundle[WORKSPACE_MIME_TYPE] == {
        "store_root": str(tmp_path),
        "project": "demo",
        "layout_key": "demo",
    }
    assert "2 runs" in bundle["text/plain"] and "demo" in bundle["text/plain"]
    json.dumps(bundle)  # the bundle is plain JSON data


def test_workspace_store_defaults_to_spyglass_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SPYGLASS_DIR", str(tmp_path / "store"))
    bundle = sg.workspace("demo", layout_key="second")._repr_mimebundle_()
    data = bundle[WORKSPACE_MIME_TYPE]
    assert data["store_root"] == str(tmp_path / "store")
    assert data["layout_key"] == "second"
    assert "0 runs" in bundle["text/plain"]


def test_workspace_refuses_bad_project_names():
    with pytest.raises(InvalidNameError):
        sg.workspace("../etc")
    with pytest.raises(ValueError):
        sg.workspace("demo", layout_key="")


def test_layout_round_trips_atomically_and_lists_projects(tmp_path):
    make_run(tmp_path, "demo", "a")
    (tmp_path / ".objects").mkdir()
    roots = [tmp_path.resolve()]
    root = confined_store_root(str(tmp_path), str(tmp_path), roots)
    path = layout_path(root, "demo", roots)
    assert path.name == LAYOUT_FILE
    assert read_layout(path) is None
    write_layout(path, parse_layout_body(b'{"version": 1, "panels": []}'))
    assert read_layout(path) == {"version": 1, "panels": []}
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert list_projects(root) == ["demo"]


def test_layout_paths_are_confined(tmp_path):
    inside = tmp_path / "root"
    inside.mkdir()
    roots = [inside.resolve()]
    with pytest.raises(RunAccessError) as outside:
        confined_store_root(str(tmp_path), str(inside), roots)
    assert outside.value.status == 403
    with pytest.raises(RunAccessError) as bad_name:
        layout_path(inside, "..", roots)
    assert bad_name.value.status == 400
    (inside / "evil").symlink_to(tmp_path)
    (tmp_path / LAYOUT_FILE).write_text("{}")
    with pytest.raises(RunAccessError) as symlinked:
        layout_path(inside.resolve(), "evil", roots)
    assert symlinked.value.status == 403
    with pytest.raises(RunAccessError) as missing:
        write_layout(inside / "nope" / LAYOUT_FILE, {"version": 1})
    assert missing.value.status == 404


def test_a_layout_file_that_is_a_symlink_is_never_written_through(tmp_path):
    make_run(tmp_path, "demo", "a")
    roots = [tmp_path.resolve()]
    elsewhere = tmp_path / "elsewhere.json"  # inside the roots, so only the write rule refuses it
    elsewhere.write_text('{"version": 0}')
    path = layout_path(tmp_path, "demo", roots)
    path.symlink_to(elsewhere)
    with pytest.raises(RunAccessError) as refused:
        write_layout(path, {"version": 1}, roots)
    assert refused.value.status == 403 and "symbolic link" in refused.value.message
    assert elsewhere.read_text() == '{"version": 0}' and path.is_symlink()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"[1]", 400),
        (b"{nope", 400),
        (b'{"version": "1"}', 400),
        (b'{"version": true}', 400),
        (b" " * (1 << 21), 413),
    ],
)
def test_layout_bodies_are_validated(body, status):
    with pytest.raises(RunAccessError) as error:
        parse_layout_body(body)
    assert error.value.status == status


def test_export_writes_typed_parquet_with_mixed_types_as_text():
    import io

    import pyarrow.parquet as pq

    from spyglass.server.workspace_export_handlers import table_parquet

    body = {
        "columns": ["run_id", "created", "steps", "tags", "config.lr", "ok", "name"],
        "rows": [
            ["a", 1.5, 3, ["x", "y"], 0.1, True, "=cmd()"],
            ["b", None, 4, [], "1e-3", False, None],
        ],
    }
    table = pq.read_table(io.BytesIO(table_parquet(json.dumps(body).encode())))
    assert table.column_names == body["columns"]
    assert str(table.schema.field("created").type) == "double"
    assert str(table.schema.field("steps").type) == "int64"
    assert table.column("tags").to_pylist() == [["x", "y"], []]
    assert table.column("config.lr").to_pylist() == ["0.1", "1e-3"]
    assert table.column("ok").to_pylist() == [True, False]
    assert table.column("name").to_pylist() == ["=cmd()", None]


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"[]",
        b'{"columns": ["a", "a"], "rows": []}',
        b'{"columns": ["a"], "rows": [[1, 2]]}',
        b'{"columns": [1]}',
    ],
)
def test_export_refuses_malformed_tables(body):
    from spyglass.server.workspace_export_handlers import ExportRequestError, table_parquet

    with pytest.raises(ExportRequestError):
        table_parquet(body)
