"""init() starts the system metrics monitor (settings.system_metrics, system_interval), finish() stops it
after a final sample; samples land in system.sglog, readable by the read API, and go to the comm as stream
"system"."""

from __future__ import annotations

import threading
import time

import spyglass as sg
from spyglass.api import Api
from spyglass.store.arrow_codec import decode_payload
from spyglass.store.run_store import SYSTEM_LOG_FILE
from spyglass.transport.protocol import StoredFrame


def test_a_run_samples_system_metrics_readable_through_the_read_api(store):
    run = sg.init(project="p", id="sampled", settings={"system_interval": 0.2})
    started = time.time()
    while time.time() - started < 1.0:
        run.log({"x": 1.0})
        time.sleep(0.01)
    run.finish()
    table = Api().run("p/sampled").system_metrics(pandas=False)
    assert table.num_rows >= 4, table.num_rows  # ~5 samples in 1 s plus the final one taken by finish()
    assert "system/cpu.percent" in table.column_names and "system/proc.memory.rss_mb" in table.column_names
    runtimes = table.column("_runtime").to_pylist()
    assert runtimes == sorted(runtimes) and 0 < runtimes[0] < 0.5 and runtimes[-1] >= 0.9
    assert table.column("_timestamp").to_pylist()[-1] <= run._finished_at
    assert Api().run("p/sampled").metadata["system_metrics"] == {"interval": 0.2}


def test_system_metrics_off_writes_no_system_log(store):
    run = sg.init(project="p", settings={"system_metrics": False})
    run.log({"x": 1.0})
    run.finish()
    assert not (run._store.path / SYSTEM_LOG_FILE).exists()
    assert "system_metrics" not in Api().run(f"p/{run.id}").metadata


def test_wandbs_x_disable_stats_turns_system_metrics_off(store):
    run = sg.init(project="p", settings={"x_disable_stats": True})
    run.finish()
    assert not (run._store.path / SYSTEM_LOG_FILE).exists()


def test_each_stored_sample_is_published_to_the_transport_as_a_system_frame(store, monkeypatch):
    published: list[StoredFrame] = []
    run = sg.init(project="p", settings={"system_interval": 0.2})
    monkeypatch.setattr(run._transport, "publish", published.append)
    time.sleep(0.5)
    run.finish()
    system = [frame for frame in published if frame.stream == "system"]
    assert system and [frame.seq for frame in system] == list(
        range(system[0].seq, system[0].seq + len(system))
    )
    assert all(frame.run_id == run.id and frame.rows == 1 for frame in system)
    assert "_runtime" in decode_payload(system[-1].payload).column_names


def test_the_monitor_is_stopped_by_finish(store):
    run = sg.init(project="p", settings={"system_interval": 0.2})
    monitor = run._system_monitor
    assert monitor is not None
    run.finish()
    assert monitor._thread is not None and not monitor._thread.is_alive()


def test_no_monitor_runs_in_disabled_mode(store):
    before = {t for t in threading.enumerate() if t.name == "spyglass-system-metrics"}
    run = sg.init(project="p", mode="disabled")
    run.log({"x": 1.0})
    assert {t for t in threading.enumerate() if t.name == "spyglass-system-metrics"} == before
    run.finish()
    assert not store.exists() or not list(store.rglob(SYSTEM_LOG_FILE))
