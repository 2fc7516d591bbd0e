"""Disk faults on real file systems: a full 20 MiB tmpfs (flush() raises, log() goes on, the rows catch up
once there is room, none lost or doubled; rows a returned flush() covered survive a kill -9 on the full
disk), a read-only store, a run directory deleted mid-run; and, where nothing can be mounted, a file size
limit and an unwritable directory. Every error is a StoreWriteError naming the path, never a raw
FileNotFoundError or PermissionError."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import spyglass as sg
from spyglass.errors import FlushError, StoreWriteError
from spyglass.store.arrow_codec import decode_payload
from spyglass.store.framed_log import read_framed_log

from .fault_filesystems import fill, mount_problem, remount, small_tmpfs, unwritable

SEED = 2026
QUIET = sg.Settings(system_metrics=False, disable_git=True, disable_packages=True)
TEXT = "row text that makes each row take some room on the small disk"

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # the failure warnings are what we provoke


def needs_tmpfs() -> None:
    problem = mount_problem()
    if problem is not None:
        pytest.skip(f"{problem}; test_disk_full_past_a_file_size_limit covers a full disk without mounts")


def stored(log_path: Path) -> tuple[list[int], list[int]]:
    log = read_framed_log(log_path)
    steps = [s for f in log.frames for s in decode_payload(f.payload).column("_step").to_pylist()]
    return steps, [f.seq for f in log.frames]


def check_contiguous(log_path: Path, rows: int, what: str, tally) -> None:
    steps, seqs = stored(log_path)
    if steps != list(range(rows)):
        tally.fail(
            f"{what}: {len(steps)} stored rows where steps 0..{rows - 1} were logged (lost or doubled)"
        )
    if seqs != list(range(len(seqs))):
        tally.fail(f"{what}: frame numbers are not contiguous")


def wait_until_healthy(run, seconds: float = 6.0) -> bool:
    deadline = time.monotonic() + seconds
    while run.degraded is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    return run.degraded is None


def test_disk_full_on_a_small_tmpfs_raises_at_flush_and_catches_up_once_freed(tmp_path, tally):
    needs_tmpfs()
    rng = random.Random(SEED)
    with small_tmpfs(tmp_path / "disk", 20) as disk:
        run = sg.init(project="full", dir=disk / "store", flush_interval=0.05, settings=QUIET)
        log_path = Path(run.dir) / "history.sglog"
        logged = 0
        for round_ in range(4):
            for _ in range(rng.randrange(500, 5000)):
                run.log({"x": float(logged), "s": TEXT})
                logged += 1
            run.flush()
            filler = fill(disk)
            for _ in range(rng.randrange(2000, 20000)):
                run.log({"x": float(logged), "s": TEXT})  # never blocks, never raises for the disk
                logged += 1
            tally.attempt()
            try:
                run.flush()
                tally.fail(f"round {round_}: flush() returned on a full disk")
            except FlushError as error:
                if error.reason != "disk full" or not error.path.startswith(str(disk)):
                    tally.fail(f"round {round_}: FlushError says {error.reason!r} about {error.path}")
            degraded = run.degraded
            tally.attempt()
            if degraded is None or degraded["reason"] != "disk full":
                tally.fail(f"round {round_}: the run is not degraded for 'disk full': {degraded}")
            time.sleep(rng.uniform(0.0, 0.5))  # the flusher retries meanwhile
            filler.unlink()
            tally.attempt()
            if not wait_until_healthy(run):
                tally.fail(f"round {round_}: no catch-up within 6 s of freeing the disk: {run.degraded}")
            run.flush()
            check_contiguous(log_path, logged, f"round {round_}", tally)
        run.finish()
        check_contiguous(log_path, logged, "after finish", tally)
    assert not tally.failures, tally.failures[:5]


FLUSHING_VICTIM = textwrap.dedent(
    """
    import sys, time
    import spyglass as sg
    from spyglass.errors import FlushError
    settings = sg.Settings(system_metrics=False, disable_git=True, disable_packages=True)
    run = sg.init(project="full", id="victim", dir=sys.argv[1], resume="allow", settings=settings)
    print("ready", flush=True)
    while True:
        for _ in range(500):
            run.log({"x": 1.0, "s": TEXT})
        try:
            run.flush()
            print("flushed", run.step - 1, flush=True)
        except FlushError as error:
            print("failed", run.step - 1, error.reason.replace(" ", "_"), flush=True)
        time.sleep(0.01)
    """
).replace("TEXT", repr(TEXT))


def test_rows_a_returned_flush_covered_survive_a_kill_on_a_full_disk(tmp_path, tally):
    needs_tmpfs()
    rng = random.Random(SEED + 1)
    with small_tmpfs(tmp_path / "disk", 20) as disk:
        store = disk / "store"
        for trial in range(3):
            child = subprocess.Popen(
                [sys.executable, "-c", FLUSHING_VICTIM, str(store)], stdout=subprocess.PIPE, text=True
            )
            lines: list[list[str]] = []
            reader = threading.Thread(target=read_lines, args=(child, lines))
            reader.start()
            wait_for(lines, "flushed", 3, child)
            filler = fill(disk)
            wait_for(lines, "failed", rng.randrange(1, 4), child)
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            reader.join()
            tally.attempt()
            flushed = max(int(line[1]) for line in lines if line[0] == "flushed")
            reasons = {line[2] for line in lines if line[0] == "failed"}
            if reasons != {"disk_full"}:
                tally.fail(f"trial {trial}: flush() failed for {reasons}, not only 'disk full'")
            steps, seqs = stored(store / "full" / "victim" / "history.sglog")
            if steps != list(range(len(steps))) or seqs != list(range(len(seqs))):
                tally.fail(f"trial {trial}: the log is not a contiguous prefix")
            if len(steps) <= flushed:
                tally.fail(f"trial {trial}: flush() returned at step {flushed}, {len(steps)} rows survived")
            filler.unlink()
            # A resume after the kill continues cleanly once the disk has room again.
            run = sg.init(project="full", id="victim", dir=store, resume="allow", settings=QUIET)
            run.log({"x": 2.0, "s": TEXT})
            run.finish()
            tally.attempt()
            after, _ = stored(store / "full" / "victim" / "history.sglog")
            if after != list(range(len(steps) + 1)):
                tally.fail(f"trial {trial}: the resumed run did not continue at step {len(steps)}")
    assert not tally.failures, tally.failures[:5]


def read_lines(child: subprocess.Popen, lines: list[list[str]]) -> None:
    lines.extend(line.split() for line in child.stdout)


def wait_for(lines: list[list[str]], word: str, count: int, child: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while sum(1 for line in lines if line[0] == word) < count:
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            raise AssertionError("the victim stopped or never got there")
        time.sleep(0.01)


def expect_refused(attempts, reason: str, tally) -> None:
    """Each (what, start, where): start() raises a StoreWriteError for `reason` naming `where`."""
    for what, start, where in attempts:
        tally.attempt()
        try:
            start().finish()
            tally.fail(f"{what} started in a store it cannot write ({reason})")
        except StoreWriteError as error:
            if error.reason != reason or str(where) not in str(error):
                tally.fail(f"{what}: {error.reason!r}: {error}")
        except Exception as error:
            tally.fail(f"{what}: raw {type(error).__name__}: {error}")


def test_a_read_only_store_is_refused_naming_the_path(tmp_path, tally):
    needs_tmpfs()
    with small_tmpfs(tmp_path / "disk", 20) as disk:
        store = disk / "store"
        with sg.init(project="ro", id="kept", dir=store, settings=QUIET) as run:
            run.log({"x": 1.0})
        remount(disk, "ro")
        try:
            attempts = [
                ("a new run", lambda: sg.init(project="ro", dir=store, settings=QUIET), store / "ro"),
                ("a new project", lambda: sg.init(project="other", dir=store, settings=QUIET), store),
                (
                    "a resume",
                    lambda: sg.init(project="ro", id="kept", dir=store, resume="must", settings=QUIET),
                    store / "ro" / "kept",
                ),
            ]
            expect_refused(attempts, "read-only file system", tally)
            tally.attempt()
            if sg.Api(store).run("ro/kept").history(pandas=False).num_rows != 1:
                tally.fail("the read API cannot read a run from a read-only store")
        finally:
            remount(disk, "rw")
    assert not tally.failures, tally.failures[:5]


def keep_logging(run, stop: threading.Event) -> None:
    while not stop.is_set():
        run.log({"x": 1.0})
        time.sleep(0.0002)


def test_a_run_directory_deleted_mid_run_is_named_by_flush_and_finish(tmp_path, tally):
    rng = random.Random(SEED + 2)
    for trial in range(6):
        run = sg.init(project="gone", dir=tmp_path / f"store{trial}", flush_interval=0.05, settings=QUIET)
        stop = threading.Event()
        logger = threading.Thread(target=keep_logging, args=(run, stop))
        logger.start()
        time.sleep(rng.uniform(0.05, 0.6))
        shutil.rmtree(run.dir)
        time.sleep(rng.uniform(0.0, 0.3))
        for what, action, error_type in (
            ("flush", run.flush, FlushError),
            ("finish", run.finish, StoreWriteError),
        ):
            if what == "finish":
                stop.set()
                logger.join()
            tally.attempt()
            try:
                action()
                tally.fail(f"trial {trial}: {what}() returned after the run directory was deleted")
            except error_type as error:
                if error.reason != "directory deleted" or run.dir not in str(error):
                    tally.fail(f"trial {trial}: {what}(): {error.reason!r}: {error}")
            except Exception as error:
                tally.fail(f"trial {trial}: {what}() raised a raw {type(error).__name__}: {error}")
        stop.set()
        logger.join()
    assert not tally.failures, tally.failures[:5]


FILE_SIZE_VICTIM = textwrap.dedent(
    """
    import os, resource, signal, sys, time
    import spyglass as sg
    from spyglass.store.arrow_codec import decode_payload
    from spyglass.errors import FlushError
    from spyglass.store.framed_log import read_framed_log
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the limit write() fails with EFBIG instead
    settings = sg.Settings(system_metrics=False, disable_git=True, disable_packages=True)
    run = sg.init(project="limit", dir=sys.argv[1], flush_interval=0.05, settings=settings)
    for i in range(1000):
        run.log({"x": float(i)})
    run.flush()
    log_path = os.path.join(run.dir, "history.sglog")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (os.path.getsize(log_path) + 4096, hard))
    for i in range(1000, 30000):
        run.log({"x": float(i)})
    try:
        run.flush()
        print("flush returned past the limit")
    except FlushError as error:
        print("flush raised", error.reason.replace(" ", "_"), error.path == log_path)
    print("degraded", run.degraded["reason"].replace(" ", "_"))
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    deadline = time.monotonic() + 6
    while run.degraded is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    print("healthy", run.degraded is None)
    run.finish()
    log = read_framed_log(log_path)
    steps = [s for f in log.frames for s in decode_payload(f.payload).column("_step").to_pylist()]
    seqs = [f.seq for f in log.frames]
    print("contiguous", steps == list(range(30000)), seqs == list(range(len(seqs))))
    """
)


def test_disk_full_past_a_file_size_limit_without_mounts(tmp_path, tally):
    done = subprocess.run(
        [sys.executable, "-c", FILE_SIZE_VICTIM, str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    lines = done.stdout.split("\n")
    for expected in (
        "flush raised file_size_limit_reached True",
        "degraded file_size_limit_reached",
        "healthy True",
        "contiguous True True",
    ):
        tally.attempt()
        if expected not in lines:
            tally.fail(f"expected {expected!r}; got {lines} {done.stderr[-500:]}")
    assert not tally.failures, tally.failures[:5]


def test_an_unwritable_store_is_refused_naming_the_directory_without_mounts(tmp_path, tally):
    store = tmp_path / "store"
    store.mkdir()
    attempts = [
        ("a new run", lambda: sg.init(project="p", dir=store, settings=QUIET), store / "p"),
        ("a run in a new project", lambda: sg.init(project="q", dir=store, settings=QUIET), store / "q"),
    ]
    with unwritable(store):
        expect_refused(attempts, "permission denied", tally)
    assert not tally.failures, tally.failures[:5]
