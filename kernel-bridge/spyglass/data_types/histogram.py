"""sg.Histogram: a distribution stored inline in the reference (bins and counts), no file."""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import MediaError
from .media import Media
from .media_store import MediaWriter

MAX_BINS = 512


class Histogram(Media):
    """`sg.Histogram(sequence=values, num_bins=64)` or `sg.Histogram(np_histogram=np.histogram(values))`.

    NaN and infinite values are left out. `bins` are the num_bins + 1 edges, `values` the counts.
    """

    _type = "histogram"

    def __init__(self, sequence: Any = None, np_histogram: Any = None, num_bins: int = 64) -> None:
        if not 1 <= int(num_bins) <= MAX_BINS:
            raise MediaError(f"sg.Histogram num_bins must be 1..{MAX_BINS}, got {num_bins}.")
        if np_histogram is not None:
            if sequence is not None:
                raise MediaError("sg.Histogram takes sequence= or np_histogram=, not both.")
            try:
                counts, edges = np_histogram
            except (TypeError, ValueError) as error:
                raise MediaError(
                    "sg.Histogram np_histogram must be (counts, bin_edges) as np.histogram returns."
                ) from error
            counts, edges = np.asarray(counts, dtype=float), np.asarray(edges, dtype=float)
            if counts.ndim != 1 or edges.shape != (len(counts) + 1,):
                raise MediaError(
                    f"sg.Histogram np_histogram: {len(edges)} bin edges for {len(counts)} counts; "
                    "edges must be one longer."
                )
            if len(counts) > MAX_BINS:
                raise MediaError(
                    f"sg.Histogram np_histogram has {len(counts)} bins; at most {MAX_BINS} are kept."
                )
        elif sequence is not None:
            if type(sequence).__module__.startswith("torch"):
                sequence = sequence.detach().cpu().numpy()
            try:
                values = np.asarray(sequence, dtype=float).ravel()
            except (TypeError, ValueError) as error:
                raise MediaError(
                    f"sg.Histogram needs numbers; could not read the sequence: {error}"
                ) from error
            values = values[np.isfinite(values)]
            counts, edges = np.histogram(values, bins=int(num_bins))
        else:
            raise MediaError("sg.Histogram needs sequence= (values) or np_histogram= (counts, bin_edges).")
        self.bins: list[float] = [float(edge) for edge in edges]
        self.histogram: list[float] = [_number(count) for count in counts]

    @classmethod
    def from_counts(cls, counts: list[int], edges: list[float]) -> Histogram:
        """A histogram from checked counts and edges (len(edges) == len(counts) + 1, finite, few bins).

        watch's hot path: it skips np_histogram='s numpy round trip (most of a small histogram's cost).
        """
        histogram = cls.__new__(cls)
        histogram.bins = edges
        histogram.histogram = counts
        return histogram

    def to_reference(self, writer: MediaWriter, key: str, step: int | None) -> dict[str, Any]:
        return {"_type": "histogram", "bins": self.bins, "values": self.histogram}

    def __repr__(self) -> str:
        return f"<spyglass.Histogram {len(self.histogram)} bins>"


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)
