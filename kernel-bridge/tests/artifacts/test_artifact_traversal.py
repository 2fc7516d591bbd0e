"""The traversal corpus: names, aliases and file paths that could escape are refused with a clear error."""

from __future__ import annotations

import pytest
from artifact_test_helpers import start_run, write_files

import spyglass as sg
from spyglass.artifacts import UnsafePathError
from spyglass.artifacts.artifact_store import parse_reference
from spyglass.artifacts.safe_paths import check_entry_path
from spyglass.base.text_checks import InvalidTextError, LimitExceededError, TextReplacedWarning

TRAVERSAL_PATHS = [
    "../x",
    "a/../../x",
    "..",
    "a/..",
    "/etc/passwd",
    "//server/share",
    "C:/Windows/x",
    "c:x",
    "..\\x",
    "a\\..\\..\\x",
    "%2e%2e/x",
    "%2E%2E%2Fx",
    "a/%2e%2e/%2e%2e/x",
    "%252e%252e/x",
    "%25252e%25252e%25252fx",
    "..%2fx",
    "..%5cx",
    "%2fetc%2fpasswd",
    "a\0b",
    "a%00b",
    "name\n",
    "",
]
SAFE_PATHS = ["a.txt", "dir/b.txt", "./c.txt", "x/./y", "100%.txt", "...", "..hidden", "a..b/c"]
BAD_NAMES = ["../x", "a/b", "a\\b", "..", ".hidden", "a:b", "a%2fb", "a\0b", "", "x" * 300, "a?b", "a#b"]


@pytest.mark.parametrize("path", TRAVERSAL_PATHS)
def test_unsafe_entry_paths_are_refused(path, tmp_path):
    with pytest.raises(UnsafePathError):
        check_entry_path(path)
    source = write_files(tmp_path, {"f.txt": "x"}) / "f.txt"
    art = sg.Artifact("ds", "dataset")
    with pytest.raises(UnsafePathError):
        art.add_file(source, path)
    with pytest.raises(UnsafePathError), art.new_file(path) as handle:
        handle.write("x")
    assert art.files() == []


@pytest.mark.parametrize("path", SAFE_PATHS)
def test_ordinary_entry_paths_are_kept(path):
    assert ".." not in check_entry_path(path).split("/")


@pytest.mark.parametrize("name", BAD_NAMES)
def test_unsafe_artifact_names_are_refused(name):
    with pytest.raises(UnsafePathError):
        sg.Artifact(name, "dataset")


@pytest.mark.parametrize("reference", ["../x:v0", "x:../y", "p/../x", "x:v0/..", "x\0:v0", "x:a%2fb", "x:.."])
def test_unsafe_references_are_refused(reference):
    with pytest.raises(UnsafePathError):
        parse_reference(reference, "demo")


@pytest.mark.parametrize("target", ["../model", "model/..", "model/../x", "model/a:b", "justone"])
def test_unsafe_registry_targets_are_refused(target, tmp_path):
    with start_run(tmp_path / "store") as run:
        art = sg.Artifact("m", "model")
        with art.new_file("w") as handle:
            handle.write("w")
        run.log_artifact(art)
        with pytest.raises(UnsafePathError):
            run.link_artifact(art, target)


def test_add_dir_refuses_a_symlink_pointing_outside(tmp_path):
    outside = write_files(tmp_path / "outside", {"secret.txt": "s"})
    data = write_files(tmp_path / "data", {"ok.txt": "ok"})
    (data / "leak.txt").symlink_to(outside / "secret.txt")
    with pytest.raises(UnsafePathError, match="outside"):
        sg.Artifact("ds", "dataset").add_dir(data)
    (data / "leak.txt").unlink()
    (data / "leakdir").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePathError, match="outside"):
        sg.Artifact("ds", "dataset").add_dir(data)


def test_add_dir_follows_symlinks_that_stay_inside(tmp_path):
    data = write_files(tmp_path / "data", {"real/a.txt": "a"})
    (data / "alias.txt").symlink_to(data / "real" / "a.txt")
    (data / "loop").symlink_to(data, target_is_directory=True)  # a cycle is walked once, not forever
    art = sg.Artifact("ds", "dataset")
    art.add_dir(data)
    assert "alias.txt" in art.files() and "real/a.txt" in art.files()


def test_artifact_type_metadata_and_description_are_checked_before_anything_is_written(store):
    with pytest.raises(InvalidTextError, match=r"artifact type 't\\udcff'"):
        sg.Artifact("data", type="t\udcff")
    cyclic: dict = {}
    cyclic["me"] = cyclic
    with pytest.raises(LimitExceededError, match=r"artifact metadata\['c'\]\['me'\] contains itself"):
        sg.Artifact("data", type="dataset", metadata={"c": cyclic})
    with pytest.warns(TextReplacedWarning):
        artifact = sg.Artifact("data", type="dataset", description="d\udcff", metadata={"src": "caf\udce9"})
    assert artifact.metadata == {"src": "caf\ufffd"} and artifact.description == "d\ufffd"
    run = sg.init(project="p")
    run.log_artifact(artifact)
    run.finish()
    assert run.state == "finished"
    assert sg.Api().artifact("p/data:latest").metadata == {"src": "caf\ufffd"}
