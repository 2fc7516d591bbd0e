"""Trace the LLM clients automatically: patch openai, anthropic and litellm when they are (or get) imported.

`autopatch()` runs at `import spyglass`: a client imported already is patched at once, one imported later is
patched right after its import (an import hook that imports nothing itself, so `import spyglass` stays fast).
The patched methods record only while tracing is on (sg.init or sg.init_traces); otherwise they call the
client straight through. SPYGLASS_LLM_AUTOPATCH=0 turns it off; `unpatch()` restores the clients.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import sys
import threading
from typing import Any

from .llm_calls import warn_once
from .method_patching import unpatch_all

# module -> (module of its patcher, patcher's name)
_PATCHERS = {
    "openai": ("openai_patch", "patch_openai"),
    "anthropic": ("anthropic_patch", "patch_anthropic"),
    "litellm": ("litellm_patch", "patch_litellm"),
}
_lock = threading.RLock()


def _patch_client(name: str) -> None:
    module_name, function_name = _PATCHERS[name]
    try:
        patcher = getattr(importlib.import_module(f".{module_name}", __package__), function_name)
        with _lock:
            patcher()
    except Exception as error:  # a client version whose shape we do not know: it runs untraced
        warn_once(error)


class _PatchingLoader(importlib.abc.Loader):
    """Runs the client's own loader, then patches the module it loaded."""

    def __init__(self, loader: Any, name: str) -> None:
        self._loader = loader
        self._name = name

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        module.__loader__ = module.__spec__.loader = self._loader  # as if no hook had been in between
        self._loader.exec_module(module)
        _patch_client(self._name)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)


class _PatchAfterImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: for a client module, wraps the loader the other finders give."""

    def __init__(self) -> None:
        self._finding = threading.local()

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in _PATCHERS or getattr(self._finding, "name", None) == name:
            return None
        self._finding.name = name
        try:
            spec = importlib.util.find_spec(name)
        finally:
            self._finding.name = None
        if spec is None or spec.loader is None:
            return None
        spec.loader = _PatchingLoader(spec.loader, name)
        return spec


_hook = _PatchAfterImport()


def autopatch() -> None:
    """Patch the clients imported already and hook the import of the others (idempotent)."""
    if os.environ.get("SPYGLASS_LLM_AUTOPATCH", "1").strip().lower() in ("0", "false", "no", "off"):
        return
    with _lock:
        if _hook not in sys.meta_path:
            sys.meta_path.insert(0, _hook)
    for name in _PATCHERS:
        if name in sys.modules:
            _patch_client(name)


def unpatch() -> None:
    """Restore the clients' own methods and stop patching clients imported later."""
    with _lock:
        if _hook in sys.meta_path:
            sys.meta_path.remove(_hook)
        unpatch_all()
