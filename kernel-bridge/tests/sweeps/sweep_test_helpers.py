"""Shared pieces of the sweep tests: configs and small training functions."""

from __future__ import annotations

import spyglass as sg

RANDOM_CONFIG = {
    "method": "random",
    "metric": {"name": "loss", "goal": "minimize"},
    "parameters": {
        "lr": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-1},
        "optimizer": {
            "parameters": {"name": {"values": ["adam", "sgd"]}, "momentum": {"min": 0.0, "max": 0.9}}
        },
    },
}


def quadratic_train() -> None:
    """Logs loss = (log10 lr + 2)^2 + momentum, three times, as a trial would per epoch."""
    import math

    sg.init()
    lr = sg.config["lr"]
    momentum = sg.config["optimizer"]["momentum"]
    for epoch in range(3):
        sg.log({"loss": (math.log10(lr) + 2) ** 2 + momentum + 1.0 / (epoch + 1)})
