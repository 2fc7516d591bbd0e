"""A run's config: a dict with attribute access and wandb's rules for changing it.

As in wandb, changing the value of an existing key raises ConfigValueChangeError unless allow_val_change is
given (to update(), or to init(), or the run lives in a Jupyter kernel, where re-running a cell must work).
Every change calls `on_change`; the run then marks run.json dirty and the flusher thread writes it at its next
tick (at most every flush_interval), so a loop of a thousand updates is one write, not a thousand.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..base.errors import SpyglassError
from ..base.nested_values import checked_value
from ..base.text_checks import check_name, describe

_WANDB_FILE_KEYS = ("wandb_version", "_wandb")


class ConfigValueChangeError(SpyglassError, ValueError):
    """A config key already holds a different value and allow_val_change was not given."""


def _nothing() -> None:
    pass


class RunConfig(dict):
    """dict with attribute access, update(d, allow_val_change=), setdefaults(d) and as_dict()."""

    def __init__(
        self,
        initial: Mapping[str, Any] | None = None,
        *,
        on_change: Callable[[], None] = _nothing,
        allow_val_change: bool = False,
    ) -> None:
        super().__init__()
        object.__setattr__(self, "_on_change", _nothing)
        object.__setattr__(self, "_allow_val_change", allow_val_change)
        object.__setattr__(self, "_warned", set())  # keys whose text was replaced (warned once each)
        if initial:
            dict.update(self, self._checked(initial))
        object.__setattr__(self, "_on_change", on_change)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            keys = ", ".join(map(str, self)) or "none"
            raise AttributeError(f"config has no key {name!r} (keys: {keys})") from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        del self[name]

    def __setitem__(self, key: str, value: Any) -> None:
        self.update({key: value})

    def __delitem__(self, key: str) -> None:
        self._on_change()  # raises if the run is finished, before anything changes
        super().__delitem__(key)

    def update(self, d: Any = None, allow_val_change: bool | None = None, **more: Any) -> None:  # type: ignore[override]
        """Add keys (dict, argparse.Namespace or YAML path); changing a value needs allow_val_change=True."""
        items = {**parse_config(d), **more} if d is not None else dict(more)
        items = self._checked(items)
        allowed = self._allow_val_change if allow_val_change is None else allow_val_change
        if not allowed:
            for key, value in items.items():
                if key in self and not _same(self[key], value):
                    raise ConfigValueChangeError(
                        f"config key {key!r} already holds {self[key]!r}; refusing to change it to "
                        f"{value!r}. "
                        "If you mean to change it, use run.config.update({...}, allow_val_change=True)."
                    )
        if items:
            self._on_change()
            dict.update(self, items)

    def _checked(self, items: Mapping[Any, Any]) -> dict[str, Any]:
        # Keys and values run.json can hold (nested_values), checked before anything of the update changes.
        checked = {}
        for key, value in items.items():
            key = _key(key)
            checked[key] = checked_value(f"config[{key!r}]", value, self._warned)
        return checked

    def setdefaults(self, d: Any) -> None:
        """Add the keys of `d` that the config does not have yet (existing values are kept)."""
        self.update({key: value for key, value in parse_config(d).items() if _key(key) not in self})

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            self._on_change()
        return super().pop(key, *default)

    def clear(self) -> None:
        self._on_change()
        super().clear()

    def popitem(self) -> tuple[str, Any]:
        self._on_change()
        return super().popitem()

    def __ior__(self, other: Any) -> RunConfig:  # type: ignore[override]
        self.update(other)
        return self

    def as_dict(self) -> dict[str, Any]:
        """A plain dict copy (wandb's Config.as_dict)."""
        return dict(self)

    def persist(self) -> None:
        """Ask for the config to be written to run.json (wandb's name for it)."""
        self._on_change()

    def __reduce__(self):
        # Pickled (multiprocessing, copy.deepcopy) as a plain dict: the run's callback does not travel.
        return (dict, (dict(self),))


def parse_config(
    source: Any, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
) -> dict[str, Any]:
    """A config dict from a dict, an argparse.Namespace (or any object's vars) or a YAML file path."""
    if include is not None and exclude is not None:
        raise ValueError("spyglass.init(): pass config_include_keys or config_exclude_keys, not both")
    if source is None:
        items: dict[str, Any] = {}
    elif isinstance(source, Mapping):
        items = dict(source)
    elif isinstance(source, (str, os.PathLike)):
        items = load_yaml_config(source)
    elif hasattr(source, "__dict__"):  # argparse.Namespace and simple objects, as wandb accepts
        items = dict(vars(source))
    else:
        raise TypeError(
            "config must be a dict, an argparse.Namespace or the path of a YAML file, "
            f"got {type(source).__name__}"
        )
    if include is not None:
        wanted = set(include)
        items = {key: value for key, value in items.items() if key in wanted}
    if exclude is not None:
        unwanted = set(exclude)
        items = {key: value for key, value in items.items() if key not in unwanted}
    return items


def load_yaml_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a YAML config file: plain `key: value`, or wandb's `key: {value: ..., desc: ...}` form."""
    try:
        import yaml
    except ImportError:
        raise SpyglassError(
            f"config {os.fspath(path)!r} is a YAML file, and reading YAML needs PyYAML: "
            "pip install pyyaml (or pip install 'spyglass[yaml]')"
        ) from None
    try:
        with open(path, encoding="utf-8") as file:
            loaded = yaml.safe_load(file)
    except FileNotFoundError:
        raise FileNotFoundError(f"config file {os.fspath(path)!r} does not exist") from None
    except yaml.YAMLError as error:
        raise SpyglassError(f"config file {os.fspath(path)!r} is not valid YAML: {error}") from error
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise SpyglassError(
            f"config file {os.fspath(path)!r} must hold a mapping of keys to values, "
            f"got {type(loaded).__name__}"
        )
    for key in _WANDB_FILE_KEYS:
        loaded.pop(key, None)
    return {
        str(key): value["value"] if isinstance(value, dict) and "value" in value else value
        for key, value in loaded.items()
    }


def _key(key: Any) -> str:
    # wandb strips leading and trailing dashes ("--lr" from a flag-like key becomes "lr").
    if not isinstance(key, str):
        raise TypeError(f"config keys must be strings, got {describe(key)} ({type(key).__name__})")
    return check_name("config key", key.strip("-"))


def _same(old: Any, new: Any) -> bool:
    # numpy arrays compare element-wise; anything whose comparison fails counts as a change.
    try:
        return bool(old == new)
    except Exception:
        return old is new
