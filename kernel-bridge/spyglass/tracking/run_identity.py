"""Mixed into Run: the identity attributes wandb scripts read that a local store answers without a server.

Scripts print `run.path`, build file names from `run.entity` and branch on `run.offline`/`run.disabled`;
wandb offline answers entity "" and path "project/run_id", and Spyglass is always local, so it answers as
wandb offline does (docs/migrating-from-wandb.md).
"""

from __future__ import annotations


class RunIdentity:
    """entity, path, offline, disabled and start_time as on wandb's Run. Needs project, id, _created_at."""

    project: str
    id: str
    _created_at: float

    @property
    def entity(self) -> str:
        """ "": a local store has no entities (wandb offline answers the same)."""
        return ""

    @property
    def path(self) -> str:
        """ "project/run_id", the path `sg.Api().run()` takes (wandb offline: the same, with no entity)."""
        return f"{self.project}/{self.id}"

    @property
    def offline(self) -> bool:
        """True: nothing is sent anywhere; scripts that skip uploads when offline skip them here too."""
        return True

    @property
    def disabled(self) -> bool:
        """False for a recording run (the DisabledRun of mode="disabled" answers True)."""
        return False

    @property
    def start_time(self) -> float:
        """When the run was created, seconds since the epoch (kept across resume)."""
        return self._created_at
