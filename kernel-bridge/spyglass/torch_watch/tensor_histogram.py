"""One tensor's histogram, computed where the tensor lives: torch.histc on its device, only the counts move.

The training thread pays two passes over the tensor (aminmax, histc) and copies back 2 + `num_bins` numbers;
the tensor itself is never copied to the host. wandb.watch clones the tensor, moves it to the CPU and scans it
four more times (finite check, NaN/inf filter, min, max).
"""

from __future__ import annotations

from typing import Any

from ..data_types.histogram import Histogram


def tensor_histogram(tensor: Any, num_bins: int = 64) -> Histogram | None:
    """`num_bins` equal bins from the tensor's finite minimum to its finite maximum; None if none is finite.

    A constant tensor gives one bin [value, value] holding every element, as wandb records it.
    """
    import torch

    flat = tensor.detach()
    if flat.is_sparse:
        flat = flat.coalesce().values()
    flat = flat.reshape(-1)
    if flat.numel() == 0:
        return None
    if not flat.is_floating_point() or flat.dtype in (torch.float16, torch.bfloat16):
        # histc takes float and double only (half precision only on some devices): widen, as wandb does.
        flat = flat.float()
    low, high = (float(v) for v in torch.stack(torch.aminmax(flat)).tolist())  # the one small sync
    if not (_finite(low) and _finite(high)):
        # NaN or inf present (rare: a diverging run): leave them out, as a histogram cannot place them.
        flat = flat[torch.isfinite(flat)]
        if flat.numel() == 0:
            return None
        low, high = (float(v) for v in torch.stack(torch.aminmax(flat)).tolist())
    if low == high:
        return Histogram.from_counts([flat.numel()], [low, high])
    # histc counts are whole numbers in a float tensor; an int tensor copies them to the host exactly.
    counts = torch.histc(flat, bins=num_bins, min=low, max=high).to(torch.int64).tolist()
    step = (high - low) / num_bins
    edges = [low + step * index for index in range(num_bins)] + [high]
    return Histogram.from_counts(counts, edges)


def _finite(value: float) -> bool:
    return value - value == 0.0  # False for NaN and ±inf, without importing math on the hot path
