"""Exceptions of evaluations. All derive from SpyglassError, so `except SpyglassError` catches them."""

from __future__ import annotations

from ..base.errors import SpyglassError


class EvaluationError(SpyglassError, ValueError):
    """An evaluation cannot run as set up (a scorer or predict asks for a column the dataset lacks, ...)."""


class DatasetError(SpyglassError, ValueError):
    """Rows that cannot form a dataset (not dicts, no rows, a value that is not data)."""
