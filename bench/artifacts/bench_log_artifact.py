"""Logging a large directory as an artifact against `sha256sum` over the same files, side by side.

Generates DIR (default 2 GB in 10,000 files under /tmp), then, median of --repeat runs each:
  sha256sum   `xargs -0 sha256sum` over every file (one process, as a user would check a dataset)
  add_dir     Artifact.add_dir: hashing only (threads over the files)
  log         add_dir + run.log_artifact into a fresh store (hash, then copy each new object)
and logs the directory a second time into the same store: no new version, no bytes copied.
The page cache is warm for every contender (the files were just written), so hashing speed is compared,
not the disk. Usage: python bench/artifacts/bench_log_artifact.py [--size-mb 2048] [--files 10000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kernel-bridge"))

import spyglass as sg


def make_files(directory: Path, total_bytes: int, count: int) -> None:
    marker = directory.parent / ".complete-data"
    expected = f"{total_bytes} {count}"
    if marker.exists() and marker.read_text() == expected:
        return
    shutil.rmtree(directory, ignore_errors=True)
    per_file = total_bytes // count
    block = os.urandom(1 << 20)
    for index in range(count):
        sub = directory / f"shard-{index // 500:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        head = index.to_bytes(
            8, "little"
        )  # every file differs, so nothing is deduplicated
        with open(sub / f"file-{index:05d}.bin", "wb") as out:
            out.write(head)
            left = per_file - len(head)
            while left > 0:
                out.write(block[: min(left, len(block))])
                left -= len(block)
    marker.write_text(expected)


def time_sha256sum(directory: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        f"find {directory} -type f -name '*.bin' -print0 | xargs -0 sha256sum > /dev/null",
        shell=True,
        check=True,
    )
    return time.perf_counter() - started


def time_add_dir(directory: Path) -> float:
    started = time.perf_counter()
    sg.Artifact("bench", "dataset").add_dir(directory)
    return time.perf_counter() - started


def time_log(directory: Path, store: Path) -> tuple[float, object]:
    shutil.rmtree(store, ignore_errors=True)
    run = sg.init(
        project="bench", dir=str(store), settings=sg.Settings(system_metrics=False)
    )
    try:
        started = time.perf_counter()
        art = sg.Artifact("bench", "dataset")
        art.add_dir(directory)
        run.log_artifact(art)
        return time.perf_counter() - started, art
    finally:
        run.finish()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=2048)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--dir", default=os.path.join(tempfile.gettempdir(), "spyglass-bench-artifact")
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the generated files and store"
    )
    args = parser.parse_args()
    base = Path(args.dir)
    data, store = base / "data", base / "store"
    print(
        f"generating {args.size_mb} MB in {args.files} files under {data} ...",
        flush=True,
    )
    make_files(data, args.size_mb << 20, args.files)
    print(
        f"hashing threads: {min(8, (os.cpu_count() or 1) + 1)} on {os.cpu_count()} CPUs",
        flush=True,
    )
    results: dict[str, list[float]] = {"sha256sum": [], "add_dir": [], "log": []}
    art = None
    for trial in range(args.repeat):
        results["sha256sum"].append(time_sha256sum(data))
        results["add_dir"].append(time_add_dir(data))
        seconds, art = time_log(data, store)
        results["log"].append(seconds)
        print(
            f"trial {trial + 1}: "
            + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in results.items()),
            flush=True,
        )
    medians = {name: statistics.median(values) for name, values in results.items()}
    megabytes = args.size_mb
    print(
        f"\nmedian of {args.repeat}, {megabytes} MB in {args.files} files (warm page cache)"
    )
    for name, seconds in medians.items():
        ratio = seconds / medians["sha256sum"]
        print(
            f"  {name:<10} {seconds:7.2f} s  {megabytes / seconds:8.0f} MB/s  ratio to sha256sum {ratio:5.2f}"
        )
    print(
        f"  first log copied {art.last_log.bytes_copied >> 20} MB in {art.last_log.files_copied} objects"
    )

    run = sg.init(
        project="bench", dir=str(store), settings=sg.Settings(system_metrics=False)
    )
    started = time.perf_counter()
    again = sg.Artifact("bench", "dataset")
    again.add_dir(data)
    run.log_artifact(again)
    unchanged = time.perf_counter() - started
    run.finish()
    print(
        f"  log again unchanged: {unchanged:.2f} s, version {again.version}, new version: "
        f"{again.last_log.created}, bytes copied: {again.last_log.bytes_copied}"
    )
    assert (
        again.version == art.version
        and not again.last_log.created
        and again.last_log.bytes_copied == 0
    )
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
