"""Whether a live run's rows reach the store (a mixin of tracked_run.Run).

A run whose writes fail (disk full, read-only, directory deleted) is "degraded" until its waiting rows are
stored: `run.degraded` says why, run.json "degraded" records it when run.json can still be written, and the
comm's run info carries it at once so the run panel shows it (docs/store-format.md, docs/python-run-api.md).
"""

from __future__ import annotations

from typing import Any


class RunStoreHealth:
    """Mixin for tracked_run.Run. Expects id, _flusher, _transport and _metadata_sync (run_lifecycle)."""

    id: str

    @property
    def degraded(self) -> dict[str, Any] | None:
        """None while every row reaches the store; else {"reason", "path", "message", "since", ...}."""
        flusher = getattr(self, "_flusher", None)
        return None if flusher is None else flusher.health

    def _store_health_changed(self) -> None:
        # From the thread that stored: the frontend hears at once; run.json follows at the next tick.
        sync = getattr(self, "_metadata_sync", None)
        if sync is not None:
            sync.mark_dirty()
        self._transport.run_updated(self.id)  # type: ignore[attr-defined]

    def _store_health_fields(self) -> dict[str, Any]:
        """run.json "degraded" (null when healthy) and, once any were dropped, "dropped_rows"."""
        flusher = getattr(self, "_flusher", None)
        fields: dict[str, Any] = {"degraded": self.degraded}
        if flusher is not None and flusher.dropped_rows:
            fields["dropped_rows"] = flusher.dropped_rows
        return fields

    def _run_info_health(self) -> dict[str, Any]:
        """The comm's RunInfo.degraded (protocol 1.2): present only while the run is degraded."""
        degraded = self.degraded
        return {} if degraded is None else {"degraded": degraded}
