"""NVIDIA GPU metrics through NVML (the `pynvml` module of the nvidia-ml-py package), when available.

Without pynvml, without a driver, without a GPU, or on any NVML error, there are simply no GPU metrics: GPUs
are optional hardware, so their absence is logged once at debug level, never warned about.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from .system_probes import MB

logger = logging.getLogger(__name__)


def open_gpu_probe() -> GpuProbe | None:
    """Return a probe over every NVIDIA GPU NVML sees, or None when there is none or NVML is unusable."""
    try:
        import pynvml
    except Exception as error:  # ImportError, or a broken install
        logger.debug("no GPU metrics: pynvml (nvidia-ml-py) is not importable (%s)", error)
        return None
    try:
        pynvml.nvmlInit()
    except Exception as error:
        logger.debug("no GPU metrics: nvmlInit failed (%s)", error)
        return None
    try:
        handles = [pynvml.nvmlDeviceGetHandleByIndex(i) for i in range(pynvml.nvmlDeviceGetCount())]
    except Exception as error:
        logger.debug("no GPU metrics: NVML could not list the GPUs (%s)", error)
        handles = []
    if not handles:
        _shutdown(pynvml)
        return None
    return GpuProbe(pynvml, handles)


def _gpu_readers(nvml: Any) -> list[tuple[str, Callable[[Any], dict[str, float]]]]:
    # (label, handle -> {metric suffix: value}); a reader that fails once is not called again for that GPU.
    def memory(handle: Any) -> dict[str, float]:
        info = nvml.nvmlDeviceGetMemoryInfo(handle)
        percent = 100.0 * info.used / info.total if info.total else 0.0
        return {"memory_used_mb": info.used / MB, "memory_percent": percent}

    return [
        ("utilization", lambda h: {"utilization_percent": nvml.nvmlDeviceGetUtilizationRates(h).gpu}),
        ("memory", memory),
        (
            "temperature",
            lambda h: {"temperature_c": nvml.nvmlDeviceGetTemperature(h, nvml.NVML_TEMPERATURE_GPU)},
        ),
        ("power", lambda h: {"power_w": nvml.nvmlDeviceGetPowerUsage(h) / 1000.0}),  # NVML reports mW
        ("SM clock", lambda h: {"sm_clock_mhz": nvml.nvmlDeviceGetClockInfo(h, nvml.NVML_CLOCK_SM)}),
        ("memory clock", lambda h: {"memory_clock_mhz": nvml.nvmlDeviceGetClockInfo(h, nvml.NVML_CLOCK_MEM)}),
    ]


class GpuProbe:
    """gpu.<i>.<metric> per GPU, repeated as gpu.process.<i>.<metric> on GPUs this process uses."""

    name = "GPU"

    def __init__(self, nvml: Any, handles: list[Any], pid: int | None = None) -> None:
        self._nvml = nvml
        self._handles = handles
        self._pid = os.getpid() if pid is None else pid
        self._readers = _gpu_readers(nvml)
        self._disabled: set[tuple[int, str]] = set()  # (gpu index, reader label) that failed
        self._closed = False

    def sample(self) -> dict[str, float]:
        metrics: dict[str, float] = {}
        for index, handle in enumerate(self._handles):
            values: dict[str, float] = {}
            for label, read in self._readers:
                if (index, label) not in self._disabled:
                    values.update(self._read(index, label, read, handle))
            metrics.update({f"gpu.{index}.{name}": float(value) for name, value in values.items()})
            if values and self._used_by_this_process(index, handle):
                metrics.update(
                    {f"gpu.process.{index}.{name}": float(value) for name, value in values.items()}
                )
        return metrics

    def _read(self, index: int, label: str, read: Callable[[Any], dict[str, float]], handle: Any):
        try:
            return read(handle)
        except Exception as error:  # NVMLError_NotSupported on many consumer GPUs, or a real failure
            self._disabled.add((index, label))
            logger.debug("GPU %d: no %s metrics (%s: %s)", index, label, type(error).__name__, error)
            return {}

    def _used_by_this_process(self, index: int, handle: Any) -> bool:
        if (index, "processes") in self._disabled:
            return False
        nvml = self._nvml
        try:
            processes = list(nvml.nvmlDeviceGetComputeRunningProcesses(handle))
            processes += nvml.nvmlDeviceGetGraphicsRunningProcesses(handle)
        except Exception as error:
            self._disabled.add((index, "processes"))
            logger.debug("GPU %d: cannot list its processes (%s); no gpu.process metrics", index, error)
            return False
        return any(getattr(process, "pid", None) == self._pid for process in processes)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            _shutdown(self._nvml)


def _shutdown(nvml: Any) -> None:
    try:
        nvml.nvmlShutdown()
    except Exception as error:
        logger.debug("nvmlShutdown failed (%s)", error)
