"""Hostile values at the API: lone surrogates, NUL and control characters, huge strings, deep and cyclic
nesting, odd types, NaN and huge ints, objects whose __str__, __repr__, __float__ or __index__ raise, fed
through log(), config, summary, metadata setters, define_metric and init(). After each, the run must still
take a canary row, finish() must succeed, and every canary must read back through sg.Api (issue 15: 2, 7).

An input passes when the call either succeeds or raises a clear error: a SpyglassError, TypeError or
ValueError (never a raw UnicodeError), or the hostile object's own exception escaping from its own method.
"""

from __future__ import annotations

import json
import math
import random
import warnings
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

import spyglass as sg
from spyglass.errors import SpyglassError

SEED = 15
RANDOM_INPUTS = 120


class HostileError(Exception):
    """What the hostile objects below raise from their own methods."""


class Unprintable:
    def __str__(self) -> str:
        raise HostileError("__str__")

    def __repr__(self) -> str:
        raise HostileError("__repr__")


class UnprintableKey(Unprintable):
    def __hash__(self) -> int:
        return 7

    def __eq__(self, other: object) -> bool:
        return self is other


class _FloatDtype:
    kind = "f"


class ExplodingScalar:
    """A 0-d "tensor" whose value cannot be read (a lost device)."""

    dtype = _FloatDtype()
    shape = ()

    def __float__(self) -> float:
        raise HostileError("__float__")

    def __repr__(self) -> str:
        raise HostileError("__repr__")


class ExplodingIndex:
    def __index__(self) -> int:
        raise HostileError("__index__")


class LyingStr(str):
    """A str subclass whose methods lie or raise."""

    def __str__(self) -> str:
        raise HostileError("__str__")

    def isascii(self) -> bool:
        return True

    def __len__(self) -> int:
        return 1


class ExplodingMapping(Mapping):
    def __getitem__(self, key: object) -> object:
        raise HostileError("__getitem__")

    def __iter__(self) -> Iterator[object]:
        raise HostileError("__iter__")

    def __len__(self) -> int:
        return 1


def nested(levels: int, leaf: object = 1.0) -> dict:
    value: object = leaf
    for _ in range(levels):
        value = {"k": value}
    return value  # type: ignore[return-value]


def nested_list(levels: int) -> list:
    value: object = 0
    for _ in range(levels):
        value = [value]
    return value  # type: ignore[return-value]


def cyclic_dict() -> dict:
    value: dict = {"x": 1.0}
    value["self"] = value
    return value


def cyclic_list() -> list:
    value: list = [1]
    value.append(value)
    return value


HOSTILE_CHARACTERS = ["\ud800", "\udbff", "\udc00", "\udcff", "\udfff", "\x00", "\x1b", "\r", "\n",
                      "\u202e", "\ufeff", "\uffff", "\U0010ffff", "%", "/", "?", "#", "'", '"', "\\", "é",
                      "😀"]  # fmt: skip


def fixed_values() -> list[tuple[str, Callable[[], object]]]:
    """Named hostile values (built fresh per use: some are mutable or huge)."""
    return [
        ("high surrogate", lambda: "\ud800"),
        ("low surrogate", lambda: "bad\udcff"),
        ("reversed pair", lambda: "\ude00\ud83d"),
        ("valid pair as two code points", lambda: "\ud83d\ude00"),
        ("NUL", lambda: "a\x00b"),
        ("control characters", lambda: "\x1b[31mred\x07\r\n\x7f"),
        ("huge string", lambda: "x" * 2_000_000),
        ("huge surrogate string", lambda: "\udcff" * 200_000),
        ("empty string", lambda: ""),
        ("nested 1000", lambda: nested(1000)),
        ("nested 65", lambda: nested(65)),
        ("nested list 1000", lambda: nested_list(1000)),
        ("cyclic dict", cyclic_dict),
        ("cyclic list", cyclic_list),
        ("object", object),
        ("set", lambda: {1, 2}),
        ("bytes", lambda: b"\xff\xfe"),
        ("bytearray", lambda: bytearray(b"\x00")),
        ("complex", lambda: 1 + 2j),
        ("Decimal", lambda: Decimal("1e999999")),
        ("Fraction", lambda: Fraction(1, 3)),
        ("Path", lambda: Path("/tmp/\udcff")),
        ("type", lambda: int),
        ("function", lambda: lambda: None),
        ("generator", lambda: (i for i in range(3))),
        ("Ellipsis", lambda: ...),
        ("range", lambda: range(10**18)),
        ("NaN", lambda: math.nan),
        ("inf", lambda: -math.inf),
        ("negative zero", lambda: -0.0),
        ("giant int", lambda: 10**5000),
        ("int beyond int64", lambda: 2**64),
        ("int below int64", lambda: -(2**63) - 1),
        ("bool", lambda: True),
        ("None", lambda: None),
        ("unprintable", Unprintable),
        ("unprintable key", UnprintableKey),
        ("exploding scalar", ExplodingScalar),
        ("exploding index", ExplodingIndex),
        ("lying str", lambda: LyingStr("li\udcffe")),
        ("exploding mapping", ExplodingMapping),
        ("dict with tuple key", lambda: {(1, 2): 3}),
        ("dict with surrogate key", lambda: {"k\udcff": 1}),
        ("list of surrogates", lambda: ["\udcff", "ok", "\ud800x"]),
        ("long name", lambda: "n" * 100_000),
        ("257 characters", lambda: "n" * 257),
        ("256 characters", lambda: "n" * 256),
    ]


def random_value(rng: random.Random) -> object:
    """A random string of hostile characters, or a random small structure of them."""
    text = "".join(rng.choice(HOSTILE_CHARACTERS) for _ in range(rng.randint(1, 12)))
    shape = rng.randrange(5)
    if shape == 0:
        return text
    if shape == 1:
        return {text: rng.choice([1.0, text, None, math.nan])}
    if shape == 2:
        return [text, rng.random(), {"k": text}]
    if shape == 3:
        return nested(rng.randint(1, 80), text)
    return rng.choice([math.inf, -math.nan, 2 ** rng.randint(60, 70), rng.random()])


def random_values(rng: random.Random, count: int) -> list[tuple[str, Callable[[], object]]]:
    return [(f"random {n}", (lambda value: lambda: value)(random_value(rng))) for n in range(count)]


def _log_value(run: Any, value: object, i: int) -> None:
    run.log({f"v{i % 7}": value, "x": float(i)})


def _log_nested(run: Any, value: object, i: int) -> None:
    run.log({"n": {"inner": value}})


def _log_key(run: Any, value: object, i: int) -> None:
    run.log({value: 1.0})


def _log_step(run: Any, value: object, i: int) -> None:
    run.log({"stepped": 1.0}, step=value)


def _config_value(run: Any, value: object, i: int) -> None:
    run.config.update({f"c{i}": value}, allow_val_change=True)


def _config_key(run: Any, value: object, i: int) -> None:
    run.config.update({value: 1}, allow_val_change=True)


def _summary_value(run: Any, value: object, i: int) -> None:
    run.summary[f"s{i}"] = value


def _summary_key(run: Any, value: object, i: int) -> None:
    run.summary[value] = 1.0


def _metadata(run: Any, value: object, i: int) -> None:
    setattr(run, ("name", "notes", "group", "job_type")[i % 4], value)


def _tags(run: Any, value: object, i: int) -> None:
    run.tags = [value]


def _define_metric(run: Any, value: object, i: int) -> None:
    run.define_metric(value, summary="max")


TARGETS: dict[str, Callable[[Any, object, int], None]] = {
    "log value": _log_value, "log nested value": _log_nested, "log key": _log_key, "log step": _log_step,
    "config value": _config_value, "config key": _config_key, "summary value": _summary_value,
    "summary key": _summary_key, "metadata": _metadata, "tags": _tags, "define_metric": _define_metric,
}  # fmt: skip

INIT_ARGUMENTS = ("name", "notes", "group", "job_type", "tags", "config value", "config key", "project", "id")


def clear_failure(error: BaseException) -> bool:
    """An error a user can act on: typed and named by us, or the hostile object's own."""
    if isinstance(error, UnicodeError):
        return False
    return isinstance(error, (SpyglassError, TypeError, ValueError, HostileError))


def call(tally, what: str, action: Callable[[], object]) -> bool:
    """Run one hostile call; tally a failure for an unclear error. True when the call succeeded."""
    tally.attempt()
    try:
        action()
    except BaseException as error:  # noqa: BLE001 - a torture test judges every outcome
        if not clear_failure(error):
            tally.fail(f"{what}: {type(error).__name__}: {str(error)[:120]}")
        return False
    return True


def check_finished(tally, store: Path, run: Any, canaries: list[int], what: str) -> None:
    """finish() succeeds, run.json is strict UTF-8 JSON, and every canary row reads back."""
    try:
        run.finish()
    except BaseException as error:  # noqa: BLE001
        tally.fail(f"{what}: finish() raised {type(error).__name__}: {str(error)[:120]}")
        return
    if run.state != "finished":
        tally.fail(f"{what}: state {run.state} after finish()")
    try:
        meta = json.loads(Path(run.dir, "run.json").read_bytes().decode("utf-8"))
        if meta["state"] != "finished":
            tally.fail(f"{what}: run.json state {meta['state']}")
        history = sg.Api(str(store)).run(f"{run.project}/{run.id}").history(samples=None)
        parquet = pq.read_table(Path(run.dir, "history.parquet"))
    except BaseException as error:  # noqa: BLE001
        tally.fail(f"{what}: reading the run back raised {type(error).__name__}: {str(error)[:120]}")
        return
    stored = [] if "canary" not in history else [int(v) for v in history["canary"].dropna()]
    if stored != canaries:
        tally.fail(f"{what}: canaries stored {stored[:5]}... of {len(stored)}, logged {len(canaries)}")
    if parquet.num_rows != len(history):
        tally.fail(f"{what}: history.parquet has {parquet.num_rows} rows, the log {len(history)}")


def test_hostile_values_never_cost_a_canary_row_or_a_clean_finish(store, tally):
    rng = random.Random(SEED)
    inputs = [(name, make) for name, make in fixed_values()]
    inputs += [
        (f"random {n}", (lambda value: lambda: value)(random_value(rng))) for n in range(RANDOM_INPUTS)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for target_name, target in TARGETS.items():
            run = sg.init(project="torture", settings={"system_metrics": False}, flush_interval=0.05)
            canaries: list[int] = []
            for index, (name, make) in enumerate(inputs):
                what = f"{target_name} <- {name}"
                call(tally, what, lambda: target(run, make(), index))  # noqa: B023 - called at once
                try:
                    run.log({"canary": float(len(canaries))})
                    canaries.append(len(canaries))
                except BaseException as error:  # noqa: BLE001
                    tally.fail(f"{what}: the canary row was refused: {type(error).__name__}: {error}")
            check_finished(tally, store, run, canaries, target_name)
    assert not tally.failures, "\n".join(tally.failures)


def _init_with(argument: str, value: object) -> Any:
    options: dict[str, Any] = {"project": "torture-init", "settings": {"system_metrics": False}}
    if argument == "tags":
        options["tags"] = [value]
    elif argument == "config value":
        options["config"] = {"c": value}
    elif argument == "config key":
        options["config"] = {value: 1}
    else:
        options[argument] = value
    return sg.init(**options)


def test_hostile_init_arguments_are_refused_cleanly_or_give_a_run_that_finishes(store, tally):
    rng = random.Random(SEED + 1)
    inputs = [(name, make) for name, make in fixed_values()]
    inputs += [
        (f"random {n}", (lambda value: lambda: value)(random_value(rng))) for n in range(RANDOM_INPUTS // 4)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for argument in INIT_ARGUMENTS:
            for name, make in inputs:
                what = f"init({argument}) <- {name}"
                runs: list[Any] = []
                if call(tally, what, lambda: runs.append(_init_with(argument, make()))):  # noqa: B023
                    run = runs[0]
                    call(tally, f"{what}: canary", lambda: run.log({"canary": 0.0}))  # noqa: B023
                    check_finished(tally, store, run, [0], what)
                elif sg.run is not None:
                    tally.fail(f"{what}: refused, but left a live run behind")
                    sg.run.finish()
    assert not tally.failures, "\n".join(tally.failures)
