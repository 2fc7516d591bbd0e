"""The report builder's errors."""

from __future__ import annotations

from ..base.errors import SpyglassError


class ReportError(SpyglassError):
    """A report cannot be built: unreadable notebook, missing runtime, unwritable output."""
