"""Standard optimisation test functions (minimised): Branin, Hartmann-6 and a noisy 1-D function."""

from __future__ import annotations

import math

import numpy as np

BRANIN_MIN = 0.397887
HARTMANN6_MIN = -3.32237

_A = np.array(
    [
        [10, 3, 17, 3.5, 1.7, 8],
        [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8],
        [17, 8, 0.05, 10, 0.1, 14],
    ]
)
_P = 1e-4 * np.array(
    [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
)  # fmt: skip
_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def branin(x1: float, x2: float) -> float:
    """x1 in [-5, 10], x2 in [0, 15]; minimum 0.397887 at three points."""
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6(x: list[float]) -> float:
    """x in [0, 1]^6; minimum -3.32237."""
    inner = np.sum(_A * (np.asarray(x) - _P) ** 2, axis=1)
    return float(-np.sum(_ALPHA * np.exp(-inner)))


def noisy_1d(x: float, rng: np.random.Generator) -> float:
    """x in [-10, 10]: sin(3x) + x^2 - 0.7x plus Gaussian noise (sigma 0.1); minimum about -0.50 (found on a fine grid)."""
    return clean_1d(x) + float(rng.normal(0.0, 0.1))


def clean_1d(x: float) -> float:
    return math.sin(3 * x) + x**2 - 0.7 * x
