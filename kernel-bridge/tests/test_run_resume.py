"""init(resume=...): allow / must / never / auto keyed on the run id; resuming a run killed with SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pyarrow as pa
import pytest

import spyglass as sg
from spyglass.store.arrow_codec import encode_batch
from spyglass.store.framed_log import encode_frame, read_framed_log
from spyglass.store.run_state import effective_state
from spyglass.store.run_store import RunDirectory


def metadata(run_dir):
    return json.loads(RunDirectory(run_dir).metadata_path.read_text())


def steps_of(run_dir):
    return RunDirectory(run_dir).read_history().column("_step").to_pylist()


def test_resume_must_continues_the_step_counter_config_and_metadata(store):
    with sg.init(project="p", id="r1", name="first", config={"lr": 0.1}, tags=["a"]) as run:
        for i in range(5):
            run.log({"loss": float(i)})
    created_at = metadata(run.dir)["created_at"]
    resumed = sg.init(project="p", id="r1", resume="must", config={"epochs": 2})
    assert resumed.step == 5 and resumed.name == "first" and resumed.tags == ("a",) and resumed.resumed
    assert dict(resumed.config) == {"lr": 0.1, "epochs": 2}
    resumed.log({"loss": 5.0})
    resumed.finish()
    assert steps_of(run.dir) == list(range(6))
    meta = metadata(run.dir)
    assert meta["state"] == "finished" and meta["created_at"] == created_at and len(meta["resumed_at"]) == 1


def test_resume_allow_starts_a_missing_run_and_continues_an_existing_one(store):
    first = sg.init(project="p", id="r2", resume="allow")
    first.log({"a": 1})
    first.finish()
    again = sg.init(project="p", id="r2", resume="allow")
    assert again.step == 1


def test_resume_never_on_an_existing_id_is_a_clear_error(store):
    sg.init(project="p", id="taken").finish()
    with pytest.raises(sg.ResumeError, match="'taken'.*already exists.*another id"):
        sg.init(project="p", id="taken", resume="never")


def test_resume_must_on_a_missing_id_is_a_clear_error(store):
    with pytest.raises(sg.ResumeError, match="no run 'ghost' in project 'p'.*to resume"):
        sg.init(project="p", id="ghost", resume="must")


def test_resume_must_without_an_id_says_to_pass_one(store):
    with pytest.raises(sg.ResumeError, match="pass id="):
        sg.init(project="p", resume="must")


def test_an_existing_id_without_resume_is_refused_and_names_the_resume_options(store):
    sg.init(project="p", id="same").finish()
    with pytest.raises(sg.SpyglassError, match='already exists.*resume="allow"'):
        sg.init(project="p", id="same")


def test_a_run_still_live_in_this_process_cannot_be_resumed(store):
    sg.init(project="p", id="live")
    with pytest.raises(sg.ResumeError, match="still running"):
        sg.init(project="p", id="live", resume="allow", reinit="create_new")


def test_an_unknown_resume_value_is_refused(store):
    with pytest.raises(ValueError, match="resume must be one of"):
        sg.init(project="p", resume="sometimes")


def test_resume_auto_without_an_id_continues_the_last_auto_run_unless_it_finished(store):
    first = sg.init(project="auto", resume="auto")
    first.log({"a": 1})
    first.finish(exit_code=1)  # failed: the next auto run continues it
    second = sg.init(project="auto", resume=True)
    assert second.id == first.id and second.step == 1
    second.finish()  # finished cleanly: the next auto run is a new one
    third = sg.init(project="auto", resume="auto")
    assert third.id != first.id


def test_mark_preempting_is_stored_and_kept_by_effective_state(store):
    run = sg.init(project="p")
    run.mark_preempting()
    meta = metadata(run.dir)
    assert meta["state"] == "preempting" and effective_state(meta, now=time.time() + 3600) == "preempting"
    assert not run.finished and run.info()["state"] == "running"
    run.log({"a": 1})
    run.finish()
    assert metadata(run.dir)["state"] == "finished"


def test_the_heartbeat_rewrites_heartbeat_at_and_last_step(store):
    run = sg.init(project="p", settings=sg.Settings(heartbeat_interval=0.2, flush_interval=0.05))
    for i in range(3):
        run.log({"a": i})
    first = metadata(run.dir)["heartbeat_at"]
    time.sleep(0.6)
    meta = metadata(run.dir)
    assert meta["heartbeat_at"] > first and meta["last_step"] == 2
    assert effective_state(meta) == "running"


def test_the_heartbeat_keeps_going_when_the_flush_interval_is_long(store):
    run = sg.init(project="p", flush_interval=60, settings={"heartbeat_interval": 0.2})
    first = metadata(run.dir)["heartbeat_at"]
    time.sleep(1.5)
    assert metadata(run.dir)["heartbeat_at"] > first


def run_script(code, *args):
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_uncaught_exception_in_a_script_marks_the_run_failed(tmp_path):
    result = run_script(
        """
        import sys
        import spyglass as sg
        run = sg.init(project="p", id="boom", dir=sys.argv[1])
        run.log({"a": 1})
        raise RuntimeError("training diverged")
        """,
        tmp_path,
    )
    assert result.returncode == 1 and "training diverged" in result.stderr
    meta = metadata(tmp_path / "p" / "boom")
    assert (meta["state"], meta["exit_code"]) == ("failed", 1)
    assert steps_of(tmp_path / "p" / "boom") == [0]


def test_sys_exit_with_a_non_zero_code_marks_the_run_failed_with_that_code(tmp_path):
    result = run_script(
        """
        import sys
        import spyglass as sg
        sg.init(project="p", id="quit", dir=sys.argv[1])
        sys.exit(3)
        """,
        tmp_path,
    )
    assert result.returncode == 3
    meta = metadata(tmp_path / "p" / "quit")
    assert (meta["state"], meta["exit_code"]) == ("failed", 3)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_run_killed_with_sigkill_is_crashed_and_resumes_with_continuous_steps_skipping_the_torn_tail(
    tmp_path,
):
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys, time
                import spyglass as sg
                settings = {"heartbeat_interval": 0.2}
                run = sg.init(project="kill", id="victim", dir=sys.argv[1], settings=settings)
                print("ready", flush=True)
                i = 0
                while True:
                    run.log({"i": i})
                    i += 1
                    time.sleep(0.0005)
                """
            ),
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(1.0)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    run_dir = tmp_path / "kill" / "victim"
    meta = metadata(run_dir)
    assert meta["state"] == "running" and effective_state(meta) == "crashed"
    assert isinstance(meta["heartbeat_at"], float)
    # A write cut by the kill: half a frame at the end of the log.
    log_path = RunDirectory(run_dir).log_path
    stored = len(read_framed_log(log_path).frames)
    whole = encode_frame(stored, encode_batch(pa.record_batch({"_step": pa.array([10**6], pa.int64())})))
    with open(log_path, "ab") as file:
        file.write(whole[:41])  # the header and the start of the payload: the rest never reached the disk
    stored_steps = steps_of(run_dir)
    assert stored_steps == list(range(len(stored_steps))) and stored_steps

    with pytest.warns(sg.TornTailWarning, match=r"'victim'.*history.sglog ends with 41 bytes"):
        run = sg.init(project="kill", id="victim", dir=tmp_path, resume="must")
    assert run.step == stored_steps[-1] + 1
    for _ in range(10):
        run.log({"i": -1})
    run.finish()
    log = read_framed_log(log_path)
    assert log.torn is None and len(log.frames) > stored
    steps = steps_of(run_dir)
    assert steps == list(range(len(stored_steps) + 10)), "steps continue after the last stored one"
    assert metadata(run_dir)["state"] == "finished"
