"""GET /spyglass/api/v1/file serves files under a run's media/ (or .tables/) and nothing else.

The path rules are checked on resolve_file directly; a real jupyter server (subprocess, token auth) checks the
HTTP side: content types, byte ranges, HEAD, streaming and error answers.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from server_harness import http as fetch
from server_harness import jupyter_server

from spyglass.server.file_access import content_type, resolve_file
from spyglass.server.file_handlers import CHUNK_BYTES, _parse_range
from spyglass.server.run_access import RunAccessError
from spyglass.store.run_store import RunDirectory


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    base = tmp_path_factory.mktemp("files")
    root, outside = base / "root", base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    run = RunDirectory.create(root / "spyglass", "demo", "run1")
    run.write_metadata({"format": 1, "run_id": "run1", "project": "demo", "state": "finished"})
    media = run.path / "media"
    (media / "images").mkdir(parents=True)
    (media / "images" / "pic_0_abcdef12.png").write_bytes(b"\x89PNG" + bytes(range(256)) * 10)
    (media / "table").mkdir()
    (media / "table" / "big_0_00000000.parquet").write_bytes(os.urandom(CHUNK_BYTES * 2 + 123))
    (media / "html").mkdir()
    (media / "html" / "page_0_11111111.html").write_text("<script>alert(1)</script>")
    (media / "images" / "escape.png").symlink_to(outside / "secret.txt")
    (media / "linked").symlink_to(outside)
    (run.path / "history.parquet").write_bytes(b"PAR1")
    tables = root / "spyglass" / ".tables"
    (tables / "media" / "images").mkdir(parents=True)
    (tables / "0123456789abcdef.parquet").write_bytes(b"PAR1table")
    (tables / "media" / "images" / "display_img_x.png").write_bytes(b"\x89PNG")
    (tables / "notes.txt").write_text("not served")
    (tables / "notes").mkdir()
    (tables / "notes" / "keys.txt").write_text("not served either")
    (tables / "notes" / "nested.parquet").write_bytes(b"PAR1nested")
    return {"root": root, "run": run.path, "tables": tables, "roots": [Path(os.path.realpath(root))]}


def resolve(layout, run_dir, path):
    return resolve_file(str(run_dir), path, str(layout["root"]), layout["roots"])


def test_files_under_media_and_dot_tables_are_served(layout):
    assert resolve(layout, layout["run"], "media/images/pic_0_abcdef12.png").name == "pic_0_abcdef12.png"
    assert resolve(layout, "spyglass/demo/run1", "media/html/page_0_11111111.html").suffix == ".html"
    assert resolve(layout, layout["tables"], "0123456789abcdef.parquet").name == "0123456789abcdef.parquet"
    assert resolve(layout, layout["tables"], "media/images/display_img_x.png").is_file()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("", 400),
        ("../run1/run.json", 400),
        ("media/../run.json", 400),
        ("media/./images/pic_0_abcdef12.png", 400),
        ("/etc/passwd", 400),
        ("media\\..\\run.json", 400),
        ("media/images/a\0b", 400),
        ("run.json", 403),
        ("history.parquet", 403),
        ("media/images/escape.png", 403),
        ("media/linked/secret.txt", 403),
        ("media/images/missing.png", 404),
        ("media/images", 404),
        ("%2e%2e/run.json", 403),  # the server decodes once; a second encoding is a literal name
    ],
)
def test_anything_else_is_refused(layout, path, status):
    with pytest.raises(RunAccessError) as caught:
        resolve(layout, layout["run"], path)
    assert caught.value.status == status


def test_a_media_directory_that_is_a_symlink_out_of_the_run_is_refused(layout, tmp_path):
    outside = tmp_path / "elsewhere"
    (outside / "images").mkdir(parents=True)
    (outside / "images" / "x.png").write_bytes(b"\x89PNG")
    run = RunDirectory.create(layout["root"] / "spyglass", "demo", "linked_media")
    run.write_metadata({"format": 1, "run_id": "linked_media", "project": "demo", "state": "finished"})
    (run.path / "media").symlink_to(outside)
    with pytest.raises(RunAccessError) as caught:
        resolve(layout, run.path, "media/images/x.png")
    assert caught.value.status == 403


@pytest.mark.parametrize("path", ["notes.txt", "notes/keys.txt", "media", "notes"])
def test_dot_tables_serves_only_parquet_and_media(layout, path):
    with pytest.raises(RunAccessError) as caught:
        resolve(layout, layout["tables"], path)
    assert caught.value.status == 403
    assert resolve(layout, layout["tables"], "notes/nested.parquet").name == "nested.parquet"


def test_run_dirs_outside_the_roots_are_refused(layout, tmp_path):
    outside_tables = tmp_path / ".tables"
    outside_tables.mkdir()
    (outside_tables / "x.parquet").write_bytes(b"PAR1")
    for run_dir in (outside_tables, tmp_path):
        with pytest.raises(RunAccessError) as caught:
            resolve(layout, run_dir, "x.parquet" if run_dir == outside_tables else "media/x.png")
        assert caught.value.status in (403, 404)


def test_content_types_keep_html_and_svg_inert():
    assert content_type(Path("a.png")) == "image/png"
    assert content_type(Path("a.parquet")) == "application/vnd.apache.parquet"
    assert content_type(Path("a.wav")) == "audio/wav"
    assert content_type(Path("a.html")).startswith("text/plain")
    assert content_type(Path("a.svg")).startswith("text/plain")
    assert content_type(Path("a.xhtml")) == "application/octet-stream"


def test_byte_ranges_are_parsed_like_http():
    assert _parse_range("bytes=0-9", 100) == (0, 9)
    assert _parse_range("bytes=90-", 100) == (90, 99)
    assert _parse_range("bytes=-10", 100) == (90, 99)
    assert _parse_range("bytes=50-500", 100) == (50, 99)
    assert _parse_range("bytes=200-", 100) is None
    assert _parse_range("bytes=0-1,5-6", 100) is None
    assert _parse_range("items=0-1", 100) is None


@pytest.fixture(scope="module")
def server(layout, tmp_path_factory):
    with jupyter_server(layout["root"], tmp_path_factory.mktemp("jupyter")) as url:
        yield url


def test_the_endpoint_streams_a_file_with_its_content_type(server, layout):
    big = layout["run"] / "media" / "table" / "big_0_00000000.parquet"
    status, headers, body = fetch(
        server, "/spyglass/api/v1/file", run_dir=layout["run"], path="media/table/big_0_00000000.parquet"
    )
    assert status == 200 and body == big.read_bytes()
    assert headers["Content-Type"] == "application/vnd.apache.parquet" and headers["Accept-Ranges"] == "bytes"
    assert headers["X-Content-Type-Options"] == "nosniff" and "sandbox" in headers["Content-Security-Policy"]


def test_the_endpoint_answers_byte_ranges_and_head(server, layout):
    big = (layout["run"] / "media" / "table" / "big_0_00000000.parquet").read_bytes()
    params = {"run_dir": layout["run"], "path": "media/table/big_0_00000000.parquet"}
    status, headers, body = fetch(server, "/spyglass/api/v1/file", headers={"Range": "bytes=-8"}, **params)
    assert (status, body, headers["Content-Range"]) == (
        206,
        big[-8:],
        f"bytes {len(big) - 8}-{len(big) - 1}/{len(big)}",
    )
    status, headers, body = fetch(server, "/spyglass/api/v1/file", method="HEAD", **params)
    assert (status, body, int(headers["Content-Length"])) == (200, b"", len(big))
    status, _, body = fetch(
        server, "/spyglass/api/v1/file", headers={"Range": f"bytes={len(big)}-"}, **params
    )
    assert status == 416 and "unsatisfiable" in json.loads(body)["error"]


def test_the_endpoint_refuses_with_json_errors_and_requires_auth(server, layout):
    for path, status in (
        ("../run1/run.json", 400),
        ("run.json", 403),
        ("media/images/escape.png", 403),
        ("media/x", 404),
    ):
        answer, _, body = fetch(server, "/spyglass/api/v1/file", run_dir=layout["run"], path=path)
        assert answer == status and "error" in json.loads(body)
    # A subdirectory of .tables holds only what a table display put there: its non-Parquet files stay private.
    answer, _, body = fetch(server, "/spyglass/api/v1/file", run_dir=layout["tables"], path="notes/keys.txt")
    assert answer == 403 and "parquet" in json.loads(body)["error"]
    answer, _, _ = fetch(
        server,
        "/spyglass/api/v1/file",
        token=None,
        run_dir=layout["run"],
        path="media/images/pic_0_abcdef12.png",
    )
    assert answer == 403
    answer, headers, body = fetch(
        server, "/spyglass/api/v1/file", run_dir=layout["run"], path="media/html/page_0_11111111.html"
    )
    assert answer == 200 and headers["Content-Type"].startswith("text/plain") and b"<script>" in body
