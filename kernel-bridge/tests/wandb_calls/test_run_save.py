"""run.save / spyglass.save: globs, base_path and policies as wandb; copies in files/, listed in run.json."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import spyglass as sg
from spyglass.tracking.run_files import SaveError


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    work = tmp_path / "work"
    (work / "ckpt" / "sub").mkdir(parents=True)
    (work / "ckpt" / "a.pt").write_text("a")
    (work / "ckpt" / "b.pt").write_text("bb")
    (work / "ckpt" / "notes.txt").write_text("n")
    (work / "ckpt" / "sub" / "c.pt").write_text("ccc")
    monkeypatch.chdir(work)
    return work


def stored_files(run):
    with open(os.path.join(run.dir, "run.json")) as meta:
        return json.load(meta)["files"]


def test_a_relative_glob_keeps_its_folders_below_the_working_directory(store, workdir):
    run = sg.init(project="p")
    saved = sg.save("ckpt/*.pt")
    files = os.path.join(run.dir, "files")
    assert saved == [os.path.join(files, "ckpt", "a.pt"), os.path.join(files, "ckpt", "b.pt")]
    assert Path(saved[1]).read_text() == "bb"
    run.finish()
    listing = stored_files(run)
    assert [(f["path"], f["policy"], f["size"]) for f in listing] == [
        ("ckpt/a.pt", "live", 1),
        ("ckpt/b.pt", "live", 2),
    ]


def test_base_path_decides_the_folders_kept_and_recursive_globs_work(store, workdir):
    run = sg.init(project="p")
    saved = run.save(str(workdir / "ckpt" / "**" / "*.pt"), base_path=str(workdir / "ckpt"), policy="now")
    assert sorted(os.path.relpath(p, os.path.join(run.dir, "files")) for p in saved) == [
        "a.pt",
        "b.pt",
        "sub/c.pt",
    ]


def test_an_absolute_path_without_base_path_is_saved_without_its_folders(store, workdir):
    run = sg.init(project="p")
    [saved] = run.save(str(workdir / "ckpt" / "sub" / "c.pt"))
    assert saved == os.path.join(run.dir, "files", "c.pt")


def test_policy_end_copies_at_finish_and_live_copies_again_when_the_file_changed(store, workdir):
    run = sg.init(project="p")
    run.save("ckpt/a.pt", policy="end")
    run.save("ckpt/b.pt", policy="live")
    files = os.path.join(run.dir, "files", "ckpt")
    assert not os.path.exists(os.path.join(files, "a.pt"))  # end: not yet
    time.sleep(0.01)
    (workdir / "ckpt" / "b.pt").write_text("changed")
    run.flush()  # live files are checked at flush, at finish and by the flusher's tick, never in log()
    assert Path(files, "b.pt").read_text() == "changed"
    (workdir / "ckpt" / "a.pt").write_text("final")
    run.finish()
    assert Path(files, "a.pt").read_text() == "final"
    assert {f["path"]: f["size"] for f in stored_files(run)} == {"ckpt/a.pt": 5, "ckpt/b.pt": 7}


@pytest.mark.parametrize(
    ("glob_str", "base_path", "problem"),
    [
        ("../outside.txt", None, "walks above its base path"),
        ("ckpt/../../x", None, "walks above its base path"),
        ("*", None, "may not start with '*'"),
        ("ckpt", "ckpt", "is the base path"),
    ],
)
def test_globs_that_would_reach_outside_files_are_refused(store, workdir, glob_str, base_path, problem):
    run = sg.init(project="p")
    with pytest.raises(SaveError, match=problem):
        run.save(glob_str, base_path=base_path)
    assert not os.path.exists(os.path.join(run.dir, "files"))


def test_a_bad_policy_is_refused_and_save_without_a_glob_is_accepted(store, workdir):
    run = sg.init(project="p")
    with pytest.raises(SaveError, match="policy must be one of live, now, end"):
        run.save("ckpt/a.pt", policy="sometimes")
    assert run.save() is True


def test_save_needs_a_run_and_a_live_one(store, workdir):
    with pytest.raises(sg.SpyglassError, match=r"spyglass.save\(\) needs a run"):
        sg.save("ckpt/a.pt")
    run = sg.init(project="p")
    run.finish()
    with pytest.raises(sg.RunFinishedError):
        run.save("ckpt/a.pt")


def test_a_live_file_is_copied_again_by_the_flusher_tick_without_any_call(store, workdir):
    run = sg.init(project="p", settings=sg.Settings(heartbeat_interval=0.5))
    run.save("ckpt/b.pt")
    copy = Path(run.dir, "files", "ckpt", "b.pt")
    time.sleep(0.01)
    (workdir / "ckpt" / "b.pt").write_text("grown by training")
    deadline = time.monotonic() + 10
    while copy.read_text() != "grown by training" and time.monotonic() < deadline:
        time.sleep(0.1)  # the flusher thread's tick checks live files every 2 s
    assert copy.read_text() == "grown by training"
    run.finish()
