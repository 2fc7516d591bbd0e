"""Exceptions of the artifact store. All derive from SpyglassError, so `except SpyglassError` catches them."""

from __future__ import annotations

from ..base.errors import InvalidNameError, SpyglassError, StoreError


class ArtifactError(SpyglassError):
    """An artifact operation could not be done as asked."""


class UnsafePathError(ArtifactError, InvalidNameError):
    """A name, alias or file path would escape its directory (traversal, absolute path, NUL, symlink out)."""


class ArtifactNotFoundError(ArtifactError, StoreError, LookupError):
    """A reference ("name:v3", "project/name:alias") names no stored artifact version."""


class ProtectedAliasError(ArtifactError):
    """A protected alias (such as `production`) would move without `force=True`."""


class ArtifactFinalizedError(ArtifactError):
    """A logged artifact was changed; call `art.new_draft()` to start the next version."""


class VerificationError(ArtifactError):
    """Downloaded or stored files do not match the manifest; `problems` lists each mismatch."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems
