"""Artifacts, the registry and lineage: content-addressed versions in the store (docs/artifacts.md)."""

from ..base.protocol_constants import LINEAGE_MIME_TYPE
from .artifact import Artifact
from .artifact_errors import (
    ArtifactError,
    ArtifactFinalizedError,
    ArtifactNotFoundError,
    ProtectedAliasError,
    UnsafePathError,
    VerificationError,
)
from .lineage import lineage_graph
from .lineage_svg import render_lineage_svg
from .openlineage_export import openlineage_events

__all__ = [
    "LINEAGE_MIME_TYPE",
    "Artifact",
    "ArtifactError",
    "ArtifactFinalizedError",
    "ArtifactNotFoundError",
    "ProtectedAliasError",
    "UnsafePathError",
    "VerificationError",
    "lineage_graph",
    "openlineage_events",
    "render_lineage_svg",
]
