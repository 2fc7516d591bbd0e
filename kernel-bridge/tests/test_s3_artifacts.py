"""Artifacts across machines: objects content-addressed in the bucket (stored once across machines and
projects, large ones in parallel multipart parts), downloads checked by sha256, and version numbers and
aliases moved with If-Match so machines racing on one collection never collide (docs/team.md, "Sweeps and
artifacts")."""

from __future__ import annotations

import hashlib
import json

import pytest
from s3_machines import machine, read_line, start_script

import spyglass as sg
from spyglass.artifacts.artifact_errors import ProtectedAliasError, VerificationError
from spyglass.store.bucket import Bucket
from spyglass.store.store_url import parse_store_url

# A machine: starts a run, builds the artifact from `source` (a file or directory), says it is ready, waits
# for "go" on stdin (so every machine logs at the same moment), logs it, links it when `target` is given,
# and prints what happened.
LOG_SCRIPT = r"""
import json, sys
import spyglass as sg
url, project, name, source, target = sys.argv[1:6]
run = sg.init(project=project, dir=url, settings={"system_metrics": False})
art = sg.Artifact(name, "model")
art.add_dir(source) if __import__("os").path.isdir(source) else art.add_file(source)
print(json.dumps({"ready": True}), flush=True)
sys.stdin.readline()
run.log_artifact(art)
linked = run.link_artifact(art, target, aliases=["production"]) if target else None
result = art.last_log
print(json.dumps({"version": art.version, "bytes": result.bytes_copied, "files": result.files_copied,
                  "linked": linked}), flush=True)
run.finish()
"""
BIG = 20 * 1024 * 1024  # above the 8 MiB single-PUT limit: a multipart upload


def log_on_machines(tmp_path, s3_server, url, jobs):
    """LOG_SCRIPT on one machine per job (host, project, artifact, source, target), all logging at once."""
    processes = []
    for host, *args in jobs:
        env = machine(tmp_path, s3_server.process_env("writer"), host)
        processes.append(start_script(host, env, LOG_SCRIPT, url, *args))
    try:
        for process in processes:
            assert read_line(process) == {"ready": True}
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        results = [read_line(process) for process in processes]
        for process in processes:
            process.wait(90)
            assert process.returncode == 0, process.stderr.read()[-4000:]
    finally:
        for process in processes:
            process.kill()
    return results


def bucket_of_url(url):
    return Bucket.for_url(parse_store_url(url))


def objects_in(bucket):
    return {info.key: info for info in bucket.list(".objects/")}


def write_dataset(folder):
    folder.mkdir()
    (folder / "a.txt").write_text("alpha\n")
    (folder / "b.txt").write_text("beta\n")
    (folder / "weights.bin").write_bytes(hashlib.sha256(b"seed").digest() * (BIG // 32))
    return folder


def test_two_machines_logging_the_same_artifact_store_one_copy(s3_store, s3_server, tmp_path):
    data = write_dataset(tmp_path / "data")
    jobs = [(host, "p", "net", str(data), "") for host in ("machine-a", "machine-b")]
    results = log_on_machines(tmp_path, s3_server, s3_store, jobs)
    assert [r["version"] for r in results] == ["v0", "v0"], "equal content is one version"
    bucket = bucket_of_url(s3_store)
    objects = objects_in(bucket)
    files = [data / "a.txt", data / "b.txt", data / "weights.bin"]
    digests = {hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    keys = {f".objects/sha256/{d[:2]}/{d[2:]}" for d in digests}
    assert keys < set(objects) and len(objects) == len(keys) + 1, "each file once, plus the manifest"
    weights = hashlib.sha256((data / "weights.bin").read_bytes()).hexdigest()
    big = objects[f".objects/sha256/{weights[:2]}/{weights[2:]}"]
    assert big.size == BIG and "-" in big.etag.strip('"'), "the large file went up in multipart parts"
    assert bucket.head(big.key).metadata == {"sha256": weights}
    assert [info.key.rsplit("/", 1)[1] for info in bucket.list("p/.artifacts/net/versions/")] == ["v0.json"]

    # A third machine, another project: nothing to upload, the bytes are already in the bucket.
    (again,) = log_on_machines(tmp_path, s3_server, s3_store, [("machine-c", "q", "net", str(data), "")])
    assert again == {"version": "v0", "bytes": 0, "files": 0, "linked": None}
    assert len(objects_in(bucket)) == len(objects)


def test_download_on_another_machine_is_checked_by_sha256(s3_store, s3_server, tmp_path, monkeypatch):
    data = write_dataset(tmp_path / "data")
    log_on_machines(tmp_path, s3_server, s3_store, [("machine-a", "p", "net", str(data), "")])
    # This process has its own local root: every byte comes from the bucket.
    artifact = sg.Api(dir=s3_store).artifact("p/net:v0")
    out = artifact.download(tmp_path / "out")
    for name in ("a.txt", "b.txt", "weights.bin"):
        assert (tmp_path / "out" / name).read_bytes() == (data / name).read_bytes()
    assert artifact.verify(out)

    # The bucket's copy of a.txt is damaged: a machine with nothing cached refuses it and writes nothing.
    digest = hashlib.sha256(b"alpha\n").hexdigest()
    bucket_of_url(s3_store).put(f".objects/sha256/{digest[:2]}/{digest[2:]}", b"omega\n")
    monkeypatch.setenv("SPYGLASS_CACHE_DIR", str(tmp_path / "machine-fresh"))
    fresh = sg.Api(dir=s3_store).artifact("p/net:v0")
    with pytest.raises(VerificationError, match="damaged"):
        fresh.download(tmp_path / "out-fresh")
    assert not (tmp_path / "out-fresh" / "a.txt").exists()
    assert not list((tmp_path / "machine-fresh").rglob(digest[2:]))


def test_machines_racing_on_one_collection_get_distinct_versions_and_a_chain_of_alias_moves(
    s3_store, s3_server, tmp_path
):
    sources = []
    for i in range(4):
        path = tmp_path / f"model-{i}.bin"
        path.write_bytes(f"weights {i}\n".encode())
        sources.append(path)
    jobs = [(f"machine-{i}", "p", "clf", str(sources[i]), "model/shared") for i in range(4)]
    results = log_on_machines(tmp_path, s3_server, s3_store, jobs)
    assert sorted(r["version"] for r in results) == ["v0", "v1", "v2", "v3"]
    assert sorted(r["linked"] for r in results) == [f"model/shared:v{i}" for i in range(4)]

    api = sg.Api(dir=s3_store)
    registry = api.registry_collection("model/shared")
    moves = registry.alias_history()
    assert len(moves) == 4, "every machine's move was recorded, none lost"
    assert moves[0]["previous"] is None
    for before, after in zip(moves, moves[1:], strict=False):
        assert after["previous"] == before["version"], "each move was decided on the state before it"
    assert registry.aliases()["production"] == f"v{moves[-1]['version']}"
    assert registry.aliases()["latest"] == "v3"

    # A protected alias moves only with force, from any machine.
    registry.protect_alias("production")
    other = next(v for v in range(4) if f"v{v}" != registry.aliases()["production"])
    with pytest.raises(ProtectedAliasError):
        registry.set_alias("production", f"v{other}")
    registry.set_alias("production", f"v{other}", force=True)
    head = json.loads(bucket_of_url(s3_store).get(".registry/model/shared/head.json"))
    assert head["protected"] == ["production"] and head["moves"][-1]["forced"] is True
