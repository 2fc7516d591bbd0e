"""init, finish, context managers, reinit, atexit and the displayed output of a run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import warnings

import pytest

import spyglass as sg
from spyglass.errors import FlushError, RunFinishedError
from spyglass.store.run_store import RunDirectory
from spyglass.tracking.session import ReinitWarning
from spyglass.transport.protocol import PROTOCOL_MAJOR, PROTOCOL_MINOR, RUN_MIME_TYPE


def metadata(run):
    return json.loads((RunDirectory(run.dir).metadata_path).read_text())


def test_init_creates_the_run_directory_with_run_json_in_state_running(store):
    run = sg.init(project="demo", name="first", config={"lr": 0.1})
    assert re.fullmatch(r"[0-9a-z]{8}", run.id)
    assert run.dir == str(store / "demo" / run.id)
    meta = metadata(run)
    assert (meta["state"], meta["name"], meta["config"], meta["project"]) == (
        "running",
        "first",
        {"lr": 0.1},
        "demo",
    )
    assert run.config == {"lr": 0.1} and run.name == "first" and run.project == "demo"


def test_finish_marks_the_run_finished_and_writes_parquet(store):
    run = sg.init(project="demo")
    run.log({"a": 1})
    run.finish()
    meta = metadata(run)
    assert meta["state"] == "finished" and meta["exit_code"] == 0 and meta["finished_at"] is not None
    import pyarrow.parquet as pq

    assert pq.read_table(RunDirectory(run.dir).parquet_path).num_rows == 1


def test_finish_with_a_non_zero_exit_code_marks_the_run_failed(store):
    run = sg.init(project="demo")
    run.finish(exit_code=3)
    assert metadata(run)["state"] == "failed" and metadata(run)["exit_code"] == 3


def test_an_exception_in_a_with_block_marks_the_run_failed(store):
    with pytest.raises(ZeroDivisionError), sg.init(project="demo") as run:
        run.log({"a": 1})
        1 / 0  # noqa: B018
    assert metadata(run)["state"] == "failed"
    assert RunDirectory(run.dir).read_history().num_rows == 1


def test_a_with_block_that_ends_normally_finishes_the_run(store):
    with sg.init(project="demo") as run:
        run.log({"a": 1})
    assert metadata(run)["state"] == "finished"


def test_logging_after_finish_is_refused_naming_the_run(store):
    run = sg.init(project="demo")
    run.finish()
    with pytest.raises(RunFinishedError, match=rf"run '{run.id}'.*finished"):
        run.log({"a": 1})
    run.finish()  # a second finish does nothing


def test_sg_log_without_a_run_explains_what_to_do(store):
    with pytest.raises(sg.SpyglassError, match=r"call spyglass.init\(\) first"):
        sg.log({"a": 1})


def test_a_second_init_finishes_the_previous_run_with_a_note(store):
    first = sg.init(project="demo")
    with pytest.warns(ReinitWarning, match=first.id):
        second = sg.init(project="demo")
    assert first.state == "finished" and second.state == "running" and sg.run is second


@pytest.mark.parametrize("reinit", ["return_previous", False])
def test_reinit_return_previous_returns_the_live_run(store, reinit):
    first = sg.init(project="demo")
    assert sg.init(project="demo", reinit=reinit) is first


@pytest.mark.parametrize("reinit", ["finish_previous", True])
def test_reinit_finish_previous_finishes_it(store, reinit):
    first = sg.init(project="demo")
    with pytest.warns(ReinitWarning):
        sg.init(project="demo", reinit=reinit)
    assert first.state == "finished"


def test_reinit_create_new_keeps_both_runs_live(store):
    first = sg.init(project="demo")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        second = sg.init(project="demo", reinit="create_new")
    assert first.state == second.state == "running" and sg.run is second
    first.log({"a": 1})
    second.log({"b": 2})


def test_an_unknown_reinit_value_is_refused(store):
    with pytest.raises(ValueError, match="reinit must be one of"):
        sg.init(project="demo", reinit="sometimes")


@pytest.mark.parametrize("run_id", ["a/b", "", "..", "x" * 200])
def test_a_bad_run_id_is_refused(store, run_id):
    with pytest.raises(ValueError, match="run id"):
        sg.init(project="demo", id=run_id)


def test_an_existing_run_id_is_refused(store):
    sg.init(project="demo", id="same").finish()
    with pytest.raises(sg.SpyglassError, match="already exists"):
        sg.init(project="demo", id="same")


def test_the_output_bundle_carries_the_run_mime_type_a_static_svg_and_text(store):
    run = sg.init(project="demo", name="n")
    run.log({"loss": 1.0})
    run._flusher.flush()
    bundle = run._repr_mimebundle_()
    assert bundle[RUN_MIME_TYPE] == {
        "run_id": run.id,
        "project": "demo",
        "name": "n",
        "run_dir": run.dir,
        "protocol": {"major": PROTOCOL_MAJOR, "minor": PROTOCOL_MINOR},
    }
    assert bundle["image/svg+xml"].startswith("<svg") and 'data-metric="loss"' in bundle["image/svg+xml"]
    assert run.id in bundle["text/plain"]


def test_a_failing_flush_keeps_the_rows_warns_and_raises_at_finish(store, monkeypatch):
    run = sg.init(project="demo", flush_interval=60)
    run.log({"a": 1})
    import spyglass.rows.flusher as flusher_module

    def broken(batch):
        raise OSError("disk on fire")

    monkeypatch.setattr(flusher_module, "encode_batch", broken)
    with pytest.warns(flusher_module.FlushFailedWarning, match="disk on fire"):
        assert run._flusher.flush() is False
    run.log({"a": 2})
    with pytest.raises(FlushError, match="2 logged rows could not be stored"):
        run.finish()
    assert metadata(run)["state"] == "failed"
    monkeypatch.undo()
    assert run._flusher.flush() is True  # the rows were kept: once the cause is gone they are stored
    assert RunDirectory(run.dir).read_history().column("a").to_pylist() == [1.0, 2.0]


def test_a_script_that_never_calls_finish_is_finished_at_exit(tmp_path):
    script = textwrap.dedent(
        f"""
        import spyglass as sg
        run = sg.init(project="exit", dir={str(tmp_path)!r}, flush_interval=60)
        for i in range(10):
            run.log({{"i": i}})
        print(run.dir)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    run_dir = RunDirectory(result.stdout.strip())
    assert run_dir.read_metadata()["state"] == "finished"
    assert run_dir.read_history().column("i").to_pylist() == [float(i) for i in range(10)]


def test_wandb_options_spyglass_does_not_use_are_accepted_and_unknown_ones_refused(store):
    run = sg.init(project="demo", entity="me", save_code=True, anonymous="never", sync_tensorboard=False)
    assert run.state == "running"
    with pytest.raises(TypeError, match="projekt"):
        sg.init(projekt="typo", reinit="create_new")


def test_config_values_read_as_attributes_like_wandb_config(store):
    run = sg.init(project="demo", config={"lr": 0.1})
    assert run.config.lr == 0.1 and sg.config.lr == 0.1
    with pytest.raises(AttributeError, match="no key 'momentum'"):
        run.config.momentum  # noqa: B018
