"""download(): hardlinks on one filesystem, copies when asked, never writes outside its root; verify()."""

from __future__ import annotations

import os
import stat

import pytest
from artifact_test_helpers import start_run, write_files

import spyglass as sg
from spyglass.artifacts import UnsafePathError, VerificationError
from spyglass.artifacts.object_store import ObjectStore


@pytest.fixture
def logged(tmp_path):
    data = write_files(tmp_path / "data", {"a.txt": "alpha", "dir/b.txt": "beta"})
    with start_run(tmp_path / "store") as run:
        art = sg.Artifact("ds", "dataset")
        art.add_dir(data)
        run.log_artifact(art)
    return art


def test_download_hardlinks_from_the_store_on_the_same_filesystem(logged, tmp_path):
    target = logged.download(tmp_path / "out")
    assert logged.last_download == {"linked": 2, "copied": 0, "skipped": 0}
    downloaded = os.stat(os.path.join(target, "dir", "b.txt"))
    stored = os.stat(logged.get_path("dir/b.txt"))
    assert downloaded.st_ino == stored.st_ino
    assert not stored.st_mode & stat.S_IWUSR  # objects are read-only, so the link cannot change the store


def test_download_copies_when_links_are_off_and_skips_files_already_there(logged, tmp_path):
    target = logged.download(tmp_path / "out", link=False)
    assert logged.last_download["copied"] == 2
    assert os.stat(os.path.join(target, "a.txt")).st_ino != os.stat(logged.get_path("a.txt")).st_ino
    logged.download(tmp_path / "out", link=False)
    assert logged.last_download == {"linked": 0, "copied": 0, "skipped": 2}


def test_verify_detects_a_modified_download_and_a_damaged_object(logged, tmp_path):
    target = logged.download(tmp_path / "out", link=False)
    assert logged.verify(target)
    with open(os.path.join(target, "a.txt"), "w") as handle:
        handle.write("tampered")
    with pytest.raises(VerificationError, match="a.txt: content changed") as caught:
        logged.verify(target)
    assert len(caught.value.problems) == 1
    stored = logged.get_path("dir/b.txt")
    os.chmod(stored, 0o644)
    stored.write_text("rotten")
    with pytest.raises(VerificationError, match="dir/b.txt"):
        logged.verify()


def test_download_replaces_a_planted_symlink_instead_of_writing_through_it(logged, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (out / "a.txt").symlink_to(victim)
    logged.download(out, link=False)
    assert victim.read_text() == "keep me"
    assert not (out / "a.txt").is_symlink() and (out / "a.txt").read_text() == "alpha"


def test_download_refuses_a_symlinked_directory_leading_outside_its_root(logged, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "dir").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(UnsafePathError, match="outside"):
        logged.download(out)
    assert list(elsewhere.iterdir()) == []


def test_download_never_leaves_its_root_even_for_a_hostile_manifest(logged, tmp_path):
    # A damaged or hostile store could hold a manifest naming ../ paths: loading it is refused.
    objects = ObjectStore(tmp_path / "store")
    hostile = b'{"entries":{"../../escape.txt":{"digest":null,"size":1}},"format":1}'
    digest = objects.put_bytes(hostile)
    record = {**logged._record, "manifest": digest}
    with pytest.raises(UnsafePathError, match=r"\.\."):
        sg.Artifact._from_store(tmp_path / "store", logged._ref, record)
    assert not (tmp_path / "escape.txt").exists()
