"""run.log_model, use_model, link_model: wandb's model shortcuts over artifacts of type "model".

They are thin: a model is an artifact whose type contains "model", logged with log_artifact, read with
use_artifact + download, linked into the registry "model-registry" with link_artifact.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..artifacts.artifact import Artifact
from ..artifacts.artifact_errors import ArtifactError

MODEL_TYPE = "model"
MODEL_REGISTRY = "model-registry"


class RunModels:
    """Mixed into Run after RunArtifacts; needs id, log_artifact, use_artifact and link_artifact."""

    id: str
    log_artifact: Any
    use_artifact: Any
    link_artifact: Any

    def log_model(
        self, path: str | os.PathLike[str], name: str | None = None, aliases: list[str] | None = None
    ) -> Artifact:
        """Log a model file or directory as an artifact of type "model" (default name run-<id>-<basename>)."""
        source = Path(os.fspath(path))
        if not source.exists():
            raise ArtifactError(f"run.log_model(): {source} does not exist; save the model there first.")
        artifact = Artifact(name or _default_name(self.id, source), MODEL_TYPE)
        if source.is_dir():
            artifact.add_dir(source)
        else:
            artifact.add_file(source)
        return self.log_artifact(artifact, aliases=aliases)

    def use_model(self, name: str) -> str:
        """Mark a model version as used by this run, download it and return its local path.

        As wandb: the path of the one file when the model holds a single file, else the directory.
        """
        artifact = self.use_artifact(name)
        if MODEL_TYPE not in str(artifact.type).lower():
            raise ArtifactError(
                f"run.use_model({name!r}): {artifact.qualified_name} has type {artifact.type!r}; use_model "
                "takes artifacts whose type contains 'model' (use use_artifact() for others)."
            )
        directory = artifact.download()
        entries = os.listdir(directory)
        return os.path.join(directory, entries[0]) if len(entries) == 1 else directory

    def link_model(
        self,
        path: str | os.PathLike[str],
        registered_model_name: str,
        name: str | None = None,
        aliases: list[str] | None = None,
    ) -> Artifact:
        """Log the model at `path` (as log_model) and link it into "model-registry/<registered_model_name>".

        `aliases` go to the registry link; the logged version gets "latest". Returns the logged artifact.
        """
        artifact = self.log_model(path, name=name)
        self.link_artifact(artifact, f"{MODEL_REGISTRY}/{registered_model_name}", aliases=aliases)
        return artifact


def _default_name(run_id: str, source: Path) -> str:
    return f"run-{run_id}-{source.name}"
