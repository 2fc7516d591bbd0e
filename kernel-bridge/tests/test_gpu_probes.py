"""GPU metrics through NVML, proven with a fake pynvml module (the test machines have no GPU)."""

from __future__ import annotations

import logging
import os
import sys
import time
import types

import pytest

from spyglass.store.arrow_codec import decode_payload
from spyglass.store.framed_log import read_framed_log
from spyglass.system import gpu_probes
from spyglass.system.gpu_probes import open_gpu_probe
from spyglass.system.system_metrics import SYSTEM_LOG_FILE, SystemMonitor

MIB = 1024 * 1024
METRICS = {
    "utilization_percent",
    "memory_used_mb",
    "memory_percent",
    "temperature_c",
    "power_w",
    "sm_clock_mhz",
    "memory_clock_mhz",
}


class NVMLError(Exception):
    pass


def fake_nvml(gpus: int = 2, used_by_us: tuple[int, ...] = (1,), unsupported: tuple[str, ...] = ()):
    """A pynvml stand-in: GPU i reports utilization 10*(i+1) %, 2 of 8 GiB used, 150 W, 60 °C."""
    nvml = types.ModuleType("pynvml")
    nvml.NVML_TEMPERATURE_GPU = 0
    nvml.NVML_CLOCK_SM, nvml.NVML_CLOCK_MEM = 1, 2
    nvml.calls = []
    nvml.shutdowns = 0

    def record(name, result):
        def call(*args):
            nvml.calls.append(name)
            if name in unsupported:
                raise NVMLError("Not Supported")
            return result(*args)

        return call

    def shutdown():
        nvml.shutdowns += 1

    nvml.nvmlInit = lambda: None
    nvml.nvmlShutdown = shutdown
    nvml.nvmlDeviceGetCount = lambda: gpus
    nvml.nvmlDeviceGetHandleByIndex = lambda index: index
    nvml.nvmlDeviceGetUtilizationRates = record(
        "utilization", lambda h: types.SimpleNamespace(gpu=10 * (h + 1), memory=5)
    )
    nvml.nvmlDeviceGetMemoryInfo = record(
        "memory", lambda h: types.SimpleNamespace(used=2048 * MIB, total=8192 * MIB, free=6144 * MIB)
    )
    nvml.nvmlDeviceGetTemperature = record("temperature", lambda h, sensor: 60)
    nvml.nvmlDeviceGetPowerUsage = record("power", lambda h: 150_000)
    nvml.nvmlDeviceGetClockInfo = record("clock", lambda h, kind: {1: 1500, 2: 5000}[kind])
    ours = types.SimpleNamespace(pid=os.getpid(), usedGpuMemory=1024 * MIB)
    other = types.SimpleNamespace(pid=1, usedGpuMemory=512 * MIB)
    nvml.nvmlDeviceGetComputeRunningProcesses = record(
        "processes", lambda h: [other, ours] if h in used_by_us else [other]
    )
    nvml.nvmlDeviceGetGraphicsRunningProcesses = record("processes", lambda h: [])
    return nvml


@pytest.fixture
def install(monkeypatch):
    def install_module(module):
        monkeypatch.setitem(sys.modules, "pynvml", module)
        return module

    return install_module


def test_every_gpu_reports_its_metrics_with_units_in_the_names(install):
    install(fake_nvml(gpus=2, used_by_us=()))
    metrics = open_gpu_probe().sample()
    assert set(metrics) == {f"gpu.{i}.{name}" for i in (0, 1) for name in METRICS}
    assert metrics["gpu.0.utilization_percent"] == 10.0 and metrics["gpu.1.utilization_percent"] == 20.0
    assert metrics["gpu.0.memory_used_mb"] == 2048.0
    assert metrics["gpu.0.memory_percent"] == 25.0
    assert metrics["gpu.0.temperature_c"] == 60.0
    assert metrics["gpu.0.power_w"] == 150.0
    assert metrics["gpu.0.sm_clock_mhz"] == 1500.0 and metrics["gpu.0.memory_clock_mhz"] == 5000.0


def test_gpus_this_process_uses_are_repeated_as_gpu_process_metrics(install):
    install(fake_nvml(gpus=2, used_by_us=(1,)))
    metrics = open_gpu_probe().sample()
    process_metrics = {name for name in metrics if name.startswith("gpu.process.")}
    assert process_metrics == {f"gpu.process.1.{name}" for name in METRICS}
    assert metrics["gpu.process.1.utilization_percent"] == metrics["gpu.1.utilization_percent"] == 20.0


def test_a_metric_the_gpu_does_not_support_is_skipped_and_not_asked_again(install, caplog):
    nvml = install(fake_nvml(gpus=1, unsupported=("power",)))
    probe = open_gpu_probe()
    with caplog.at_level(logging.DEBUG, logger=gpu_probes.__name__):
        first, second = probe.sample(), probe.sample()
    assert first == second
    assert "gpu.0.power_w" not in first and "gpu.0.temperature_c" in first
    assert nvml.calls.count("power") == 1
    assert [r.levelno for r in caplog.records if "power" in r.getMessage()] == [logging.DEBUG]


def test_process_detection_failing_only_drops_gpu_process_metrics(install):
    install(fake_nvml(gpus=1, used_by_us=(0,), unsupported=("processes",)))
    metrics = open_gpu_probe().sample()
    assert "gpu.0.utilization_percent" in metrics
    assert not any(name.startswith("gpu.process.") for name in metrics)


def test_without_pynvml_there_is_no_gpu_probe_and_no_warning(install, recwarn):
    install(None)  # makes `import pynvml` raise ImportError
    assert open_gpu_probe() is None
    assert len(recwarn) == 0


def test_an_nvml_init_failure_means_no_gpu_probe_logged_once_at_debug(install, caplog, recwarn):
    nvml = fake_nvml()

    def no_driver():
        raise NVMLError("Driver Not Loaded")

    nvml.nvmlInit = no_driver
    install(nvml)
    with caplog.at_level(logging.DEBUG, logger=gpu_probes.__name__):
        assert open_gpu_probe() is None
    assert [r.levelno for r in caplog.records] == [logging.DEBUG]
    assert len(recwarn) == 0


def test_no_gpus_means_no_probe_and_nvml_is_shut_down(install):
    nvml = install(fake_nvml(gpus=0))
    assert open_gpu_probe() is None
    assert nvml.shutdowns == 1


def test_closing_the_probe_shuts_nvml_down_once(install):
    nvml = install(fake_nvml())
    probe = open_gpu_probe()
    probe.close()
    probe.close()
    assert nvml.shutdowns == 1


def test_the_monitor_stores_gpu_columns_and_shuts_nvml_down_at_stop(install, tmp_path):
    nvml = install(fake_nvml(gpus=1, used_by_us=(0,)))
    monitor = SystemMonitor(tmp_path, interval=10)
    monitor.start()
    time.sleep(0.2)
    monitor.stop()
    frames = read_framed_log(tmp_path / SYSTEM_LOG_FILE).frames
    columns = set(decode_payload(frames[0].payload).schema.names)
    assert {f"system/gpu.0.{name}" for name in METRICS} <= columns
    assert {f"system/gpu.process.0.{name}" for name in METRICS} <= columns
    assert "system/proc.cpu.percent" in columns
    assert nvml.shutdowns == 1
