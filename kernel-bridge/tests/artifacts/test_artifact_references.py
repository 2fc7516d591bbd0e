"""References: recorded by URI and checksum, never copied into the store."""

from __future__ import annotations

import pytest
from artifact_test_helpers import object_count, start_run, write_files

import spyglass as sg
from spyglass.artifacts import ArtifactError, VerificationError


def test_a_file_reference_is_hashed_but_not_copied(tmp_path):
    root = tmp_path / "store"
    data = write_files(tmp_path / "data", {"big.bin": b"z" * 4096, "sub/x.txt": "x"})
    with start_run(root) as run:
        art = sg.Artifact("refs", "dataset")
        art.add_reference((data / "big.bin").as_uri())
        art.add_reference(data.as_uri(), name="tree")
        run.log_artifact(art)
    assert object_count(root) == 1  # the manifest only
    entry = art.get_entry("big.bin")
    assert (
        entry.ref == (data / "big.bin").as_uri() and entry.size == 4096 and entry.digest.startswith("sha256:")
    )
    assert art.files() == ["big.bin", "tree/big.bin", "tree/sub/x.txt"]
    assert art.verify()
    (data / "big.bin").write_bytes(b"y" * 4096)
    with pytest.raises(VerificationError, match="big.bin: content changed"):
        art.verify()


def test_remote_references_record_the_given_checksum_or_etag_without_network(tmp_path):
    with start_run(tmp_path / "store") as run:
        art = sg.Artifact("remote", "dataset")
        art.add_reference("s3://bucket/data/train.csv", checksum="ab" * 32, size=10)
        art.add_reference("gs://bucket/model.pt", etag='"0x8D9"')
        art.add_reference("https://example.org/files/readme.txt")
        run.log_artifact(art)
    assert art.get_entry("train.csv").digest == "sha256:" + "ab" * 32
    assert art.get_entry("model.pt").digest == "etag:0x8D9"
    assert art.get_entry("readme.txt").digest is None
    assert art.verify()  # remote entries are not checked
    with pytest.warns(UserWarning, match="not downloaded"):
        art.download(tmp_path / "out")


def test_the_same_uri_with_another_checksum_is_a_new_version(tmp_path):
    with start_run(tmp_path / "store") as run:
        versions = []
        for checksum in ("aa" * 32, "aa" * 32, "bb" * 32):
            art = sg.Artifact("remote", "dataset")
            art.add_reference("s3://bucket/x", checksum=checksum)
            versions.append(run.log_artifact(art).version)
    assert versions == ["v0", "v0", "v1"]


@pytest.mark.parametrize("uri", ["ftp://host/x", "x.txt", "s3://", "file:///does/not/exist"])
def test_unsupported_or_broken_references_are_refused(tmp_path, uri):
    art = sg.Artifact("refs", "dataset")
    with pytest.raises(ArtifactError):
        art.add_reference(uri)


def test_checksum_false_records_a_file_reference_by_size_only_as_wandb_does(tmp_path):
    data = write_files(tmp_path / "data", {"a.bin": b"12345"})
    with start_run(tmp_path / "store") as run:
        art = sg.Artifact("refs", "dataset")
        art.add_reference((data / "a.bin").as_uri(), checksum=False)
        run.log_artifact(art)
    assert art.get_entry("a.bin").digest is None and art.get_entry("a.bin").size == 5
    (data / "a.bin").write_bytes(b"54321")  # same size: not detectable without a checksum
    assert art.verify()
    (data / "a.bin").write_bytes(b"longer!")
    with pytest.raises(VerificationError, match="size 7, expected 5"):
        art.verify()


def test_wandb_keyword_options_of_add_file_are_accepted_and_typos_are_not(tmp_path):
    source = write_files(tmp_path, {"f.txt": "x"}) / "f.txt"
    art = sg.Artifact("ds", "dataset")
    art.add_file(source, policy="immutable", is_tmp=False, skip_cache=True, overwrite=True)
    with pytest.raises(TypeError, match="polcy"):
        art.add_file(source, polcy="mutable")
