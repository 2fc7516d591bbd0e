"""GET /spyglass/api/v1/runs and /metric through a real jupyter server (subprocess, token auth)."""

from __future__ import annotations

import json
import urllib.parse

import pyarrow as pa
import pytest
from server_harness import TOKEN, http, jupyter_server
from store_builders import framed_run, history_batch, logged_run


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("ws_server")
    root, outside = base / "root", base / "outside"
    for directory in (root, outside):
        directory.mkdir()
    store = root / "spyglass"
    for run_id, lr in (("a", 0.1), ("b", "auto")):
        logged_run(
            store, "demo", run_id, [{"loss": 1.0 / (s + 1), "acc": s} for s in range(50)], config={"lr": lr}
        )
    broken = logged_run(store, "demo", "broken", [{"loss": 1.0}])
    broken.metadata_path.write_text("{")
    logged_run(outside, "demo", "x", [{"loss": 1.0}])
    planted = plant_links(root / "planted", outside)
    with jupyter_server(root, base / "jupyter") as url:
        yield {"url": url, "store": store, "outside": outside, "planted": planted}


SECRET = 999.0  # the value only the runs outside the root hold


def plant_links(store, outside):
    """A project inside the root holding one real run and symlinks planted to lead outside it: a run
    directory, a history.sglog (dangling-safe: its target exists) and a run.json."""
    secret = framed_run(outside, "elsewhere", "secret", [history_batch([0, 1], loss=[SECRET, SECRET])])
    framed_run(store, "demo", "ok", [history_batch([0, 1, 2], loss=[0.5, 0.4, 0.3])])
    (store / "demo" / "linked_run").symlink_to(secret.path)
    log_link = framed_run(store, "demo", "log_link", [history_batch([0], loss=[0.1])])
    log_link.log_path.unlink()
    log_link.log_path.symlink_to(secret.log_path)
    meta_link = framed_run(store, "demo", "meta_link", [history_batch([0], loss=[0.2])])
    meta_link.metadata_path.unlink()
    meta_link.metadata_path.symlink_to(secret.metadata_path)
    return store


def get(url: str, path: str, token: str | None = TOKEN, **params) -> tuple[int, str, bytes]:
    status, headers, body = http(url, path, token=token, **params)
    return status, headers.get("Content-Type", ""), body


def test_runs_lists_every_run_including_the_damaged_one(server):
    status, content_type, body = get(
        server["url"], "/spyglass/api/v1/runs", store_root=str(server["store"]), project="demo"
    )
    assert status == 200 and "json" in content_type
    listing = json.loads(body)
    by_id = {r["run_id"]: r for r in listing["runs"]}
    assert set(by_id) == {"a", "b", "broken"}
    assert by_id["a"]["config"]["lr"] == 0.1 and by_id["b"]["config"]["lr"] == "auto"
    assert by_id["a"]["metrics"] == ["acc", "loss"]
    assert by_id["broken"]["damaged"]
    assert listing["projects"] == ["demo"]


def test_metric_answers_an_arrow_stream_of_one_metric(server):
    status, content_type, body = get(
        server["url"],
        "/spyglass/api/v1/metric",
        store_root=str(server["store"]),
        project="demo",
        metric="loss",
    )
    assert status == 200 and content_type == "application/vnd.apache.arrow.stream"
    reader = pa.ipc.open_stream(body)
    meta = json.loads(reader.schema.metadata[b"spyglass"])
    assert meta["run_ids"] == ["a", "b"]
    assert "broken" in meta["skipped"]
    table = reader.read_all()
    assert table.schema.names == ["run", "step", "wall", "value"] and table.num_rows == 100


def test_metric_with_run_ids_and_a_step_metric(server):
    url = (
        f"/spyglass/api/v1/metric?store_root={server['store']}&project=demo&metric=loss&run_id=b&x_metric=acc"
    )
    status, _, body = get(server["url"], url)
    table = pa.ipc.open_stream(body).read_all()
    assert status == 200 and table.num_rows == 50
    assert table.column("x").to_pylist() == list(range(50))


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"project": "demo"}, 400),
        ({"store_root": "spyglass"}, 400),
        ({"store_root": "spyglass", "project": "../x"}, 400),
    ],
)
def test_bad_requests_answer_json_errors(server, params, status):
    code, _, body = get(server["url"], "/spyglass/api/v1/runs", **params)
    assert code == status and "error" in json.loads(body)


def test_a_store_outside_the_server_roots_is_refused(server):
    code, _, body = get(
        server["url"], "/spyglass/api/v1/runs", store_root=str(server["outside"]), project="demo"
    )
    assert code == 403 and "outside" in json.loads(body)["error"]
    code, _, _ = get(
        server["url"],
        "/spyglass/api/v1/metric",
        store_root=str(server["outside"]),
        project="demo",
        metric="loss",
    )
    assert code == 403
    code, _, _ = get(
        server["url"], "/spyglass/api/v1/metric", store_root=str(server["store"]), project="demo"
    )
    assert code == 400
    code, _, _ = get(
        server["url"], "/spyglass/api/v1/runs", token=None, store_root=str(server["store"]), project="demo"
    )
    assert code == 403


def test_metric_overview_answers_one_pyramid_level_then_the_rows(server):
    params = {"store_root": str(server["store"]), "project": "demo", "metric": "loss"}
    status, _, body = get(server["url"], "/spyglass/api/v1/metric", overview_buckets="10", **params)
    reader = pa.ipc.open_stream(body)
    meta = json.loads(reader.schema.metadata[b"spyglass"])
    assert status == 200 and meta["level"] == 3 and meta["stats"]["a"]["rows"] == 50
    assert reader.read_all().schema.names[:3] == ["lvl", "run", "b"]
    status, _, body = get(server["url"], "/spyglass/api/v1/metric", **params)
    assert status == 200 and pa.ipc.open_stream(body).read_all().num_rows == 100
    code, _, _ = get(server["url"], "/spyglass/api/v1/metric", overview_buckets="0", **params)
    assert code == 400


def test_metric_overview_on_another_axis_answers_plain_m4_buckets(server):
    params = {"store_root": str(server["store"]), "project": "demo", "metric": "loss"}
    for axis in ("wall", "relative"):
        status, _, body = get(
            server["url"], "/spyglass/api/v1/metric", overview_buckets="10", overview_axis=axis, **params
        )
        reader = pa.ipc.open_stream(body)
        meta = json.loads(reader.schema.metadata[b"spyglass"])
        assert status == 200 and meta["axis"] == axis and meta["buckets"] == 10
        table = reader.read_all()
        assert table.schema.names[:2] == ["run", "q"] and sum(table.column("n").to_pylist()) == 100
    status, _, body = get(
        server["url"],
        "/spyglass/api/v1/metric",
        overview_buckets="5",
        overview_axis="x",
        x_metric="acc",
        **params,
    )
    meta = json.loads(pa.ipc.open_stream(body).schema.metadata[b"spyglass"])
    assert status == 200 and (meta["x0"], meta["x1"]) == (0, 49)
    for bad in ({"overview_axis": "time"}, {"overview_axis": "x"}):
        code, _, body = get(server["url"], "/spyglass/api/v1/metric", overview_buckets="10", **bad, **params)
        assert code == 400 and "overview_axis" in json.loads(body)["error"]


def test_runs_skips_run_directories_and_files_symlinked_out_of_the_roots(server):
    status, _, body = get(
        server["url"], "/spyglass/api/v1/runs", store_root=str(server["planted"]), project="demo"
    )
    assert status == 200
    assert [run["run_id"] for run in json.loads(body)["runs"]] == ["ok"]


@pytest.mark.parametrize("overview", [None, "step", "wall"])
def test_metric_never_reads_a_history_log_or_run_symlinked_out_of_the_roots(server, overview):
    params = {"store_root": str(server["planted"]), "project": "demo", "metric": "loss"}
    if overview:
        params.update(overview_buckets="10", overview_axis=overview)
    for run_ids in ([], ["log_link", "linked_run", "meta_link", "ok"]):
        query = urllib.parse.urlencode({**params, "run_id": run_ids}, doseq=True)
        status, _, body = get(server["url"], f"/spyglass/api/v1/metric?{query}")
        assert status == 200, body
        reader = pa.ipc.open_stream(body)
        meta = json.loads(reader.schema.metadata[b"spyglass"])
        table = reader.read_all()
        assert meta["run_ids"] == ["ok"]
        values = [
            v
            for name in ("value", "y_first", "y_last", "y_min", "y_max")
            if name in table.schema.names
            for v in table.column(name).to_pylist()
        ]
        assert values and SECRET not in values
