"""The hooks `watch` puts on a model: a forward hook for parameters, one hook per parameter for gradients.

Between logged batches a hook only bumps a counter. Every `log_freq`-th call it computes histograms on the
tensor's device (tensor_histogram) and hands them to the run with commit=False, so they join the row of the
training loop's next `log()` at its step, exactly as wandb.watch's do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .tensor_histogram import tensor_histogram

LogHistograms = Callable[[dict[str, Any]], None]


class CallCounter:
    """True on every `every`-th call (wandb's log_track: count up to the threshold, then start again)."""

    __slots__ = ("count", "every")

    def __init__(self, every: int) -> None:
        self.every = every
        self.count = 0

    def due(self) -> bool:
        self.count += 1
        if self.count < self.every:
            return False
        self.count = 0
        return True


def hook_parameters(model: Any, prefix: str, log_freq: int, num_bins: int, log: LogHistograms) -> list[Any]:
    """A forward hook on `model` logging `parameters/<prefix><name>` for every parameter; its handle."""
    counter = CallCounter(log_freq)

    def after_forward(module: Any, inputs: Any, output: Any) -> None:
        if not counter.due():
            return
        row = {}
        for name, parameter in module.named_parameters():
            histogram = tensor_histogram(parameter, num_bins)
            if histogram is not None:
                row[f"parameters/{prefix}{name}"] = histogram
        if row:
            log(row)

    return [model.register_forward_hook(after_forward)]


def hook_gradients(model: Any, prefix: str, log_freq: int, num_bins: int, log: LogHistograms) -> list[Any]:
    """A gradient hook on each trainable parameter logging `gradients/<prefix><name>`; their handles."""
    return [
        parameter.register_hook(
            _gradient_hook(f"gradients/{prefix}{name}", CallCounter(log_freq), num_bins, log)
        )
        for name, parameter in model.named_parameters()
        if parameter.requires_grad
    ]


def _gradient_hook(key: str, counter: CallCounter, num_bins: int, log: LogHistograms) -> Callable[..., None]:
    def on_gradient(gradient: Any) -> None:
        if counter.due():
            histogram = tensor_histogram(gradient, num_bins)
            if histogram is not None:
                log({key: histogram})

    return on_gradient
