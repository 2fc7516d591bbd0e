"""`call.feedback`: the feedback on a stored call (a list of entries) and the way to add more from Python."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from ..base.errors import SpyglassError
from ..traces.call_feedback import REMOVED, add_feedback


class FeedbackUnavailableError(SpyglassError):
    """Feedback was added to a call that did not come from a store (so there is nowhere to keep it)."""


class CallFeedback(list):
    """The feedback on one call, oldest first: dicts with `id`, `kind` (`thumbs`, `note`, `label`), `value`,
    `creator`, `source` and `created_at`. Adding stores the entry at once (docs/traces.md#feedback) and
    appends it here; nothing already stored is changed (removing stores a removal)."""

    def __init__(
        self,
        entries: Iterable[dict[str, Any]] = (),
        *,
        store: tuple[str | os.PathLike[str], str] | None = None,
        call_id: str | None = None,
    ) -> None:
        super().__init__(entries)
        self._store = store
        self._call_id = call_id

    def add(self, kind: str, value: str, *, creator: str | None = None) -> dict[str, Any]:
        """Store feedback of `kind` "thumbs" (value "up"/"down"), "note" (text) or "label" (a short name)."""
        if self._store is None or self._call_id is None:
            raise FeedbackUnavailableError(
                "this call was not read from a store; read it with sg.Api().calls(project) to add feedback"
            )
        root, project = self._store
        entry = add_feedback(root, project, self._call_id, kind, value, creator=creator)
        self.append(entry)
        return entry

    def thumbs_up(self, *, creator: str | None = None) -> dict[str, Any]:
        return self.add("thumbs", "up", creator=creator)

    def thumbs_down(self, *, creator: str | None = None) -> dict[str, Any]:
        return self.add("thumbs", "down", creator=creator)

    def note(self, text: str, *, creator: str | None = None) -> dict[str, Any]:
        return self.add("note", text, creator=creator)

    def label(self, name: str, *, creator: str | None = None) -> dict[str, Any]:
        return self.add("label", name, creator=creator)

    def remove(self, feedback_id: str) -> None:
        """Take an entry back (stored as a removal entry; the original file stays)."""
        if not any(entry["id"] == feedback_id for entry in self):
            raise KeyError(
                f"no feedback {feedback_id!r} on this call; its entries: {[e['id'] for e in self]}"
            )
        self.add(REMOVED, feedback_id)
        self.pop()  # the removal itself is not feedback in force
        self[:] = [entry for entry in self if entry["id"] != feedback_id]

    @property
    def labels(self) -> list[str]:
        """The call's labels, in the order given (each once)."""
        return list(dict.fromkeys(entry["value"] for entry in self if entry["kind"] == "label"))

    @property
    def thumbs(self) -> str | None:
        """The latest thumbs given ("up" or "down"), None when none."""
        votes = [entry["value"] for entry in self if entry["kind"] == "thumbs"]
        return votes[-1] if votes else None

    @property
    def notes(self) -> list[str]:
        return [entry["value"] for entry in self if entry["kind"] == "note"]

    def __repr__(self) -> str:
        return f"CallFeedback({list.__repr__(self)})"
