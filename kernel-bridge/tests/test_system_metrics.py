"""The system monitor: a stored frame per sample, on schedule, streamed after storing, robust to failures."""

from __future__ import annotations

import os
import time

import psutil
import pytest

from spyglass.store.arrow_codec import decode_payload
from spyglass.store.framed_log import FramedLogWriter, read_framed_log
from spyglass.store.run_store import RunDirectory
from spyglass.system.system_metrics import SYSTEM_LOG_FILE, SystemMetricsWarning, SystemMonitor

BASE_COLUMNS = {
    "_timestamp",
    "_runtime",
    "system/proc.cpu.percent",
    "system/proc.memory.rss_mb",
    "system/proc.threads",
    "system/cpu.percent",
    "system/memory.percent",
    "system/disk.percent",
    "system/disk.read_mb",
    "system/disk.write_mb",
    "system/network.sent_mb",
    "system/network.recv_mb",
}


def stored_rows(run_path) -> list[dict]:
    frames = read_framed_log(run_path / SYSTEM_LOG_FILE).frames
    rows = []
    for frame in frames:
        batch = decode_payload(frame.payload)
        assert batch.num_rows == 1
        rows.extend(batch.to_pylist())
    return rows


def run_monitor(run_path, seconds: float, **options) -> SystemMonitor:
    monitor = SystemMonitor(run_path, **options)
    monitor.start()
    time.sleep(seconds)
    monitor.stop()
    return monitor


def wait_for(condition, timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_monitor_stores_frames_with_the_documented_columns_and_sane_values(tmp_path):
    started_at = time.time()
    run_monitor(tmp_path, 0.5, interval=0.1, started_at=started_at)
    rows = stored_rows(tmp_path)
    assert len(rows) >= 3
    for row in rows:
        assert set(row) >= BASE_COLUMNS
        assert all(isinstance(value, float) for value in row.values())
        assert 0.0 <= row["system/proc.cpu.percent"] <= 100.0 * psutil.cpu_count()
        assert 0.0 <= row["system/cpu.percent"] <= 100.0
        assert row["system/proc.memory.rss_mb"] > 0
        assert 0.0 < row["system/memory.percent"] <= 100.0
        assert 0.0 <= row["system/disk.percent"] <= 100.0
        assert row["system/proc.threads"] >= 1
        assert min(row[name] for name in BASE_COLUMNS if name.endswith("_mb") and "rss" not in name) >= 0
        assert row["_runtime"] == pytest.approx(row["_timestamp"] - started_at)


def test_samples_follow_the_interval(tmp_path):
    run_monitor(tmp_path, 1.0, interval=0.1)
    timestamps = [row["_timestamp"] for row in stored_rows(tmp_path)]
    gaps = [
        later - earlier for earlier, later in zip(timestamps, timestamps[1:-1], strict=False)
    ]  # the last is stop()'s
    assert 7 <= len(timestamps) <= 13
    assert sum(gaps) / len(gaps) == pytest.approx(0.1, abs=0.03)


def test_the_first_sample_is_taken_right_after_start_even_with_a_long_interval(tmp_path):
    monitor = SystemMonitor(tmp_path, interval=60)
    monitor.start()
    try:
        wait_for(lambda: monitor.samples_written == 1, timeout=1.0)
    finally:
        monitor.stop()
    assert len(stored_rows(tmp_path)) == 2  # the first sample and stop()'s final one


def test_on_frame_receives_each_frame_after_it_is_stored(tmp_path):
    received = []

    def on_frame(seq, payload, rows):
        stored = read_framed_log(tmp_path / SYSTEM_LOG_FILE).frames
        received.append((seq, payload, rows, stored[-1].seq))

    run_monitor(tmp_path, 0.4, interval=0.1, on_frame=on_frame)
    frames = read_framed_log(tmp_path / SYSTEM_LOG_FILE).frames
    assert [seq for seq, *_ in received] == [frame.seq for frame in frames] == list(range(len(frames)))
    assert [payload for _, payload, _, _ in received] == [frame.payload for frame in frames]
    assert all(rows == 1 and last_stored == seq for seq, _, rows, last_stored in received)


def test_stop_is_prompt_idempotent_and_takes_a_final_sample(tmp_path):
    monitor = SystemMonitor(tmp_path, interval=30)
    monitor.start()
    wait_for(lambda: monitor.samples_written == 1)
    began = time.monotonic()
    monitor.stop()
    assert time.monotonic() - began < 0.5
    monitor.stop()
    monitor.start()  # a stopped monitor stays stopped
    assert monitor.samples_written == 2
    assert len(stored_rows(tmp_path)) == 2


def test_stop_right_after_start_still_stores_one_sample(tmp_path):
    run_monitor(tmp_path, 0.0, interval=10)
    assert len(stored_rows(tmp_path)) == 1


def test_stop_without_start_does_nothing(tmp_path):
    SystemMonitor(tmp_path).stop()
    assert not (tmp_path / SYSTEM_LOG_FILE).exists()


def test_a_failing_psutil_call_drops_only_its_metrics_and_warns_once(tmp_path, monkeypatch, recwarn):
    def broken(*args, **kwargs):
        raise OSError("no /proc/net/dev here")

    monkeypatch.setattr(psutil, "net_io_counters", broken)
    run_monitor(tmp_path, 0.5, interval=0.1)
    rows = stored_rows(tmp_path)
    assert len(rows) >= 3
    assert all("system/network.sent_mb" not in row and "system/cpu.percent" in row for row in rows)
    messages = [str(w.message) for w in recwarn if issubclass(w.category, SystemMetricsWarning)]
    assert len(messages) == 1 and "no /proc/net/dev here" in messages[0]


class FlakyProbe:
    name = "flaky"

    def __init__(self):
        self.calls = 0

    def sample(self):
        self.calls += 1
        if self.calls % 2:
            raise RuntimeError("sensor glitch")
        return {"flaky.value": self.calls}

    def close(self):
        pass


def test_a_probe_that_raises_does_not_stop_sampling(tmp_path, recwarn):
    probe = FlakyProbe()
    run_monitor(tmp_path, 0.5, interval=0.1, probes=[lambda: probe])
    rows = stored_rows(tmp_path)
    assert probe.calls >= 4
    assert [row["system/flaky.value"] for row in rows] == [float(n) for n in range(2, probe.calls + 1, 2)]
    assert sum(issubclass(w.category, SystemMetricsWarning) for w in recwarn) == 1


def test_a_probe_that_cannot_be_created_is_left_out(tmp_path, recwarn):
    def unavailable():
        raise PermissionError("denied")

    run_monitor(tmp_path, 0.0, interval=10, probes=[unavailable, lambda: FlakyProbe(), lambda: None])
    assert stored_rows(tmp_path) == []  # FlakyProbe's first call fails, so the single sample had no metrics
    assert any("denied" in str(w.message) for w in recwarn)


def test_a_log_held_by_another_writer_disables_the_monitor_with_a_warning(tmp_path, recwarn):
    with FramedLogWriter(tmp_path / SYSTEM_LOG_FILE):
        monitor = run_monitor(tmp_path, 0.2, interval=0.1)
    assert monitor.samples_written == 0
    assert any("cannot open" in str(w.message) for w in recwarn)


def test_a_second_session_of_the_run_continues_the_sequence(tmp_path):
    run_monitor(tmp_path, 0.0, interval=10)
    run_monitor(tmp_path, 0.0, interval=10)
    assert [frame.seq for frame in read_framed_log(tmp_path / SYSTEM_LOG_FILE).frames] == [0, 1]


def test_monitor_accepts_a_run_directory(tmp_path):
    run = RunDirectory.create(tmp_path, "demo", "abc")
    monitor = run_monitor(run, 0.0, interval=10)
    assert monitor.log_path == run.path / "system.sglog"
    assert len(stored_rows(run.path)) == 1


@pytest.mark.parametrize("interval", [0, -1, float("nan"), float("inf"), "10", True])
def test_interval_must_be_a_positive_number(tmp_path, interval):
    with pytest.raises(ValueError, match="positive number of seconds"):
        SystemMonitor(tmp_path, interval=interval)


def test_sampling_is_cheap(tmp_path):
    monitor = run_monitor(tmp_path, 0.6, interval=0.05)
    assert monitor.samples_written >= 5
    assert monitor.mean_sample_seconds < 0.1  # typically 1-2 ms; generous for loaded CI machines


def test_the_thread_is_a_daemon_that_ends_with_stop(tmp_path):
    monitor = SystemMonitor(tmp_path, interval=0.1)
    monitor.start()
    thread = monitor._thread
    assert thread.daemon and thread.is_alive()
    monitor.stop()
    assert not thread.is_alive()
    assert os.path.getsize(tmp_path / SYSTEM_LOG_FILE) > 16
