"""Version allocation is safe across processes: concurrent loggers of one collection get distinct versions."""

from __future__ import annotations

import multiprocessing

from spyglass.artifacts.artifact_store import collection_of, log_version
from spyglass.artifacts.manifest import Manifest, ManifestEntry
from spyglass.artifacts.object_store import ObjectStore

WORKERS = 4


def _log(root: str, content: bytes, barrier) -> int:
    manifest = Manifest()
    digest = ObjectStore(root).put_bytes(content)
    manifest.add(ManifestEntry("data.bin", digest, len(content)))
    barrier.wait()  # every process allocates at the same moment
    return log_version(root, "demo", "shared", "dataset", manifest, {}).ref.number


def test_processes_logging_one_collection_at_once_get_distinct_versions(tmp_path):
    context = multiprocessing.get_context("spawn")
    barrier = context.Manager().Barrier(WORKERS)
    with context.Pool(WORKERS) as pool:
        numbers = pool.starmap(
            _log, [(str(tmp_path), f"content {i}".encode(), barrier) for i in range(WORKERS)]
        )
    assert sorted(numbers) == list(range(WORKERS))
    assert collection_of(tmp_path, "demo", "shared").version_numbers() == list(range(WORKERS))


def test_processes_logging_the_same_content_at_once_share_one_version(tmp_path):
    context = multiprocessing.get_context("spawn")
    barrier = context.Manager().Barrier(WORKERS)
    with context.Pool(WORKERS) as pool:
        numbers = pool.starmap(_log, [(str(tmp_path), b"same", barrier) for _ in range(WORKERS)])
    assert numbers == [0] * WORKERS


def test_allocation_stays_unique_without_a_lock_because_link_refuses_taken_names(tmp_path, monkeypatch):
    # Where fcntl is missing (Windows) only link() protects the numbering; race eight threads through it.
    import threading

    from spyglass.artifacts import collection as collection_module

    monkeypatch.setattr(collection_module, "fcntl", None)
    target = collection_of(tmp_path, "demo", "racy")
    target.ensure({"kind": "artifact", "name": "racy"})
    barrier = threading.Barrier(8)
    numbers: list[int] = []

    def allocate(index: int) -> None:
        barrier.wait()
        numbers.append(target.add_version(f"sha256:{index:064x}", {"format": 1})[0])

    threads = [threading.Thread(target=allocate, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(8))
