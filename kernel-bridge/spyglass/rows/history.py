"""A run's history in memory: wandb step semantics and the row buffer that log() appends to (the hot path).

Rows are kept in segments, one per tuple of keys, as raw values in one flat list. When a row has the same keys
and the same value types as the previous one (the common training loop), log() does one list compare and one
list.extend, without a lock; everything else (flattening, validation, conversion) happens on the slow path or
in the flusher.

Step semantics follow wandb:
- log(d) commits d (merged with anything pending) at the current step, then the step moves on by one.
- log(d, commit=False) merges d into the pending row of the current step without committing it.
- log(d, step=s): s equal to the current step merges; s greater commits the pending row and moves to s; in
  both cases the row stays pending (commit defaults to False when a step is given) until a later step,
  commit=True or finish(). s smaller than the current step cannot be honoured (steps only grow): a
  StepOrderWarning names both steps (once per run) and the values are recorded at the current step, never
  dropped; with settings.strict a StepOrderError is raised instead, before anything of the row is recorded.
"""

from __future__ import annotations

import itertools
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from ..base.errors import RunFinishedError, StepOrderError
from ..base.text_checks import LimitExceededError, describe, is_storable, replaced_text
from ..base.user_warnings import user_stacklevel
from .row_values import Kind, check_row, flatten_row

# Every this many steps (a multiple of it, on the fast path), the buffered rows are converted to Arrow while
# hot in the CPU cache (see Flusher).
CHUNK_ROWS = 2048
_PLAIN_TYPES = frozenset((float, int, bool, str, type(None)))
# Distinct metric keys one run may hold. Every key is a column of every stored frame and of history.parquet,
# whose writer spends ~0.2 ms per column: 100k keys take ~30 s at finish(), a million would take many minutes.
MAX_KEYS_PER_RUN = 100_000
# Largest step: the biggest integer a browser's Number holds exactly (charts use steps); inside int64 too.
MAX_STEP = 2**53 - 1
_now = time.time  # bound once: the hot path skips a module attribute lookup per row


class StepOrderWarning(UserWarning):
    """log() was given a step smaller than the run's current step."""


class RefusedValueWarning(UserWarning):
    """log() left a value of an unsupported type (list, array, object) out of the row."""


class Segment:
    """Rows that share one tuple of keys, stored back to back in one flat list: step, timestamp, *values.

    Flat rather than a tuple per row: a row costs log() one list.extend (as atomic as an append) and no
    object per row for the garbage collector to track; take() picks each column out with a strided slice.
    """

    __slots__ = ("flat", "keys")

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys
        self.flat: list[Any] = []


class SegmentColumns(NamedTuple):
    """Rows taken from one segment, column by column: steps, timestamps, then the values of each key."""

    keys: tuple[str, ...]
    columns: list[list[Any]]

    @property
    def row_count(self) -> int:
        return len(self.columns[0])


_NO_FAST_PATH: tuple[Any, Any] = (None, None)


class History:
    """Step state, pending row and buffered segments of one run.

    The fast path takes no lock: it reads the (signature, extend) pair in one attribute load and adds a whole
    row with one list.extend, both atomic in CPython (and per-object locked in free-threaded builds), so rows
    from several threads never interleave; the step comes from itertools.count, whose next() is atomic too.
    take() slices the rows present when it starts and deletes just those, so a row racing with it lands in
    the next frame and is never lost. Everything else (slow path, take, close) is serialized by a lock.
    """

    def __init__(
        self,
        run_label: str,
        *,
        strict: bool = False,
        convert_rich: Callable[[dict[str, Any], int], None] | None = None,
    ) -> None:
        """`strict` (settings.strict): a backwards step or a refused value raises instead of warning.
        `convert_rich`: turns a row's rich values (sg.Table, sg.Image, figures) into references, in place."""
        self._run_label = run_label
        self._lock = threading.Lock()
        self._counter = itertools.count()
        self._pending: dict[str, Any] | None = None
        self._closed = False
        self.kinds: dict[str, tuple[Kind, str]] = {}
        self._segments: dict[tuple[str, ...], Segment] = {}
        # The previous committed row's signature ([*keys, *value types]) and its segment's flat.extend.
        self._fast: tuple[Any, Any] = _NO_FAST_PATH
        self.chunk_ready: Callable[[], object] = _do_nothing  # set by the flusher
        # False once any row held a non-builtin value (numpy, tensor): converting those may sync a GPU.
        self.only_plain_values = True
        self.strict = strict
        self._warned: set[str] = set()  # warnings already shown: once per key (or once per run for steps)
        # Numeric keys that have held a value other than an int (a float, a bool, a float tensor): stored as
        # float64 from then on. The others keep int64 (wandb gives an int back as an int). Only grows.
        self.float_keys: set[str] = set()
        self.convert_rich = convert_rich

    @property
    def step(self) -> int:
        """The step the next committed row gets."""
        # itertools.count has no peek; its repr is 'count(N)'.
        return int(repr(self._counter)[6:-1])

    def start_at(self, step: int) -> None:
        """Number the next committed row `step` (a resumed run continues after its last stored step)."""
        with self._lock:
            self._counter = itertools.count(step)

    def log(self, data: Mapping[str, Any], step: int | None = None, commit: bool | None = None) -> None:
        """Record `data` per the step semantics above; raise on bad input before recording anything."""
        if step is None and commit is None and type(data) is dict:
            # Keys (in order) and exact value types in one list and one compare, the cheapest check found:
            # a float where an int was, or a numpy scalar where a float was, takes the slow path and is
            # validated there. The row is a list too: extend takes it as it is (a tuple is built from a list).
            signature, extend = self._fast
            if [*data, *map(type, data.values())] == signature:
                step = next(self._counter)
                extend([step, _now(), *data.values()])
                if not step % CHUNK_ROWS:
                    self.chunk_ready()
                return
        self._log_slow(data, step, commit)

    def _log_slow(self, data: Mapping[str, Any], step: int | None, commit: bool | None) -> None:
        if not isinstance(data, Mapping):
            raise TypeError(
                f"run.log() expects a dict of metric names to values, got {type(data).__name__}; "
                "wrap it, e.g. run.log({'loss': value})."
            )
        if step is not None:
            step = _check_step(step)
        if commit is not None and not isinstance(commit, bool):
            raise TypeError(f"run.log() commit must be True, False or None, got {describe(commit)}")
        if len(data) > MAX_KEYS_PER_RUN:  # before flattening a million keys
            self._too_many_keys(len(data))
        flat = flatten_row(data, MAX_KEYS_PER_RUN)
        convert = self.convert_rich
        if convert is not None and not self._closed and not _PLAIN_TYPES.issuperset(map(type, flat.values())):
            # Tables, media and figures: files written now, the row then holds their reference JSON strings.
            current = self.step
            convert(flat, current if step is None or step < current else step)
        with self._lock:
            if self._closed:
                raise RunFinishedError(
                    f"run {self._run_label} is finished; log() after finish() is refused. "
                    "Start a new run with spyglass.init()."
                )
            refused: dict[str, str] = {}
            unstorable: list[str] = []
            new_kinds = check_row(flat, self.kinds, refused, unstorable)
            if new_kinds and len(self.kinds) + len(new_kinds) > MAX_KEYS_PER_RUN:
                self._too_many_keys(len(self.kinds) + len(new_kinds))
            current = self.step
            if step is not None and step < current:
                self._step_went_back(step, current)
            if refused:
                self._refuse(flat, refused)
            for key in unstorable:  # strict raises here, before anything is recorded
                where = f"run.log() metric '{key}'"
                flat[key] = replaced_text(where, flat[key], self._warned, self.strict)
            self.kinds.update(new_kinds)
            if step is not None and step > current:
                if self._pending is not None:
                    self._commit_pending()
                self._counter = itertools.count(step)
            if self._pending is None:
                self._pending = flat
            else:
                self._pending.update(flat)
            if commit if commit is not None else step is None:
                self._commit_pending()
            else:
                self._fast = _NO_FAST_PATH  # a pending row must see the next log() call

    def _step_went_back(self, step: int, current: int) -> None:
        # Caller holds the lock; raises (strict) before anything of the row is recorded.
        text = (
            f"run {self._run_label}: log() was given step={step}, but the current step is already {current}"
        )
        if self.strict:
            raise StepOrderError(
                f"{text}; steps only grow and settings.strict refuses this. Nothing of this row was recorded."
            )
        if "\0step" not in self._warned:
            self._warned.add("\0step")
            warnings.warn(
                f"{text} (steps only grow). The values are recorded at step {current} instead; later "
                "backwards steps are treated the same way without another warning.",
                StepOrderWarning,
                stacklevel=user_stacklevel(),
            )

    def _too_many_keys(self, count: int) -> None:
        raise LimitExceededError(
            f"run {self._run_label}: this log() would bring the run to {count} distinct metric keys; a run "
            f"holds at most {MAX_KEYS_PER_RUN} (each key is a column, and storing that many columns takes "
            "minutes). Log fewer keys, or put per-item values in an sg.Table. Nothing of this row was "
            "recorded."
        )

    def conversion_failed(self, key: str, message: str) -> None:
        """The batch builder stored a value of `key` otherwise than given (`message` says how): warn once."""
        marker = "\0convert " + key
        if marker not in self._warned:
            self._warned.add(marker)
            warnings.warn(
                f"run {self._run_label}: {message} (shown once per key).", RefusedValueWarning, stacklevel=2
            )

    def _refuse(self, flat: dict[str, Any], refused: dict[str, str]) -> None:
        # Caller holds the lock. Strict: raise before recording. Otherwise drop the keys, warn once per key.
        if self.strict:
            first = next(iter(refused.values()))
            raise TypeError(f"{first} settings.strict refuses it: nothing of this row was recorded.")
        for key, message in refused.items():
            del flat[key]
            if key not in self._warned:
                self._warned.add(key)
                warnings.warn(
                    f"{message} The key was left out of the row; the rest was recorded (shown once per key).",
                    RefusedValueWarning,
                    stacklevel=user_stacklevel(),
                )

    def _commit_pending(self) -> None:
        # Caller holds the lock. The committed row's keys and types become the fast path's reference.
        row = self._pending or {}
        self._pending = None
        keys = tuple(row)
        values = tuple(row.values())
        segment = self._segments.get(keys)
        if segment is None:
            segment = self._segments[keys] = Segment(keys)
        float_keys = self.float_keys
        for key, value in row.items():
            # Before the row is buffered, so a batch built after take() never holds a float in an int column.
            if key not in float_keys and not is_integer_or_text(value):
                float_keys.add(key)
        segment.flat.extend((next(self._counter), time.time(), *values))
        types = list(map(type, values))
        if not _PLAIN_TYPES.issuperset(types):
            self.only_plain_values = False
        self._fast = self._fast_path_for(segment, keys, types)

    def _fast_path_for(self, segment: Segment, keys: tuple[str, ...], types: list[type]) -> tuple[Any, Any]:
        # Numbers only: list.extend itself, so the float path costs what it always did. With strings, a check
        # for lone surrogates first (replaced, warned once per key); strict mode sends such rows down the slow
        # path instead, where a bad string is refused before the row takes a step.
        extend = segment.flat.extend
        if not any(issubclass(kind, str) for kind in types):
            return [*keys, *types], extend
        if self.strict:
            return _NO_FAST_PATH
        texts = [
            (index + 2, key)
            for index, (key, kind) in enumerate(zip(keys, types, strict=True))
            if issubclass(kind, str)
        ]
        warned = self._warned

        def extend_checked(row: list[Any]) -> None:
            for index, key in texts:
                if not str.isascii(row[index]) and not is_storable(row[index]):
                    row[index] = replaced_text(f"run.log() metric '{key}'", row[index], warned, False)
            extend(row)

        return [*keys, *types], extend_checked

    def take(self) -> list[SegmentColumns]:
        """Hand the buffered rows to the flusher, column by column; the buffer keeps filling meanwhile."""
        taken = []
        with self._lock:
            for segment in self._segments.values():
                flat = segment.flat
                count = len(flat)  # whole rows: each was added by one atomic extend
                if count:
                    width = len(segment.keys) + 2
                    columns = [flat[index:count:width] for index in range(width)]
                    del flat[:count]  # rows racing with this land after index count: kept for later
                    taken.append(SegmentColumns(segment.keys, columns))
        return taken

    def close(self) -> None:
        """Commit the pending row (if any) and refuse further log() calls."""
        with self._lock:
            if self._pending is not None:
                self._commit_pending()
            self._closed = True
            self._fast = _NO_FAST_PATH


def _do_nothing() -> None:
    pass


_INT64_RANGE = range(-(2**63), 2**63)


def is_integer_or_text(value: object) -> bool:
    """True for a value that does not make its metric a float: an int in int64's range, integer numpy
    scalars and 0-d tensors, strings and None. Only dtype metadata is read (no GPU sync)."""
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, (bool, float)):
        return False
    if isinstance(value, int):
        return value in _INT64_RANGE
    dtype = getattr(value, "dtype", None)
    kind = getattr(dtype, "kind", None)  # numpy: i(nt), u(nsigned)
    if kind is not None:
        return kind in "iu" and not (kind == "u" and getattr(dtype, "itemsize", 8) >= 8)
    if dtype is not None:  # torch
        floating = getattr(dtype, "is_floating_point", True) or getattr(dtype, "is_complex", False)
        return not floating and str(dtype) != "torch.bool"
    return False


def _check_step(step: object) -> int:
    if isinstance(step, bool) or not hasattr(step, "__index__"):
        raise TypeError(f"run.log() step must be an integer, got {describe(step)} ({type(step).__name__})")
    value = step.__index__()  # type: ignore[union-attr]
    if value < 0:
        raise ValueError(f"run.log() step must be >= 0, got {value}")
    if value > MAX_STEP:
        raise LimitExceededError(
            f"run.log() step must be at most {MAX_STEP} (2**53 - 1, the largest integer charts hold "
            f"exactly), got one of {value.bit_length()} bits. Nothing of this row was recorded."
        )
    return value
