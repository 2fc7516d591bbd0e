"""run.define_metric(): per-metric step axis, summary aggregates, goal and visibility, with "prefix/*" globs.

Definitions are stored in run.json "metrics" (the frontend reads `hidden` and `step_metric` there). The only
effect on stored rows is step_sync: a row that logs a metric with a step_metric but not the step metric itself
gets the step metric's last value, as wandb does. That fill runs in the flusher thread on whole Arrow batches,
never in log().
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..base.text_checks import check_name, describe

SUMMARY_AGGREGATES = ("min", "max", "mean", "first", "last", "best", "copy", "none")
GOALS = ("minimize", "maximize")
_GOAL_ALIASES = {"min": "minimize", "max": "maximize", "minimize": "minimize", "maximize": "maximize"}


@dataclass(frozen=True)
class MetricDefinition:
    """One define_metric() call's result: a metric name or a "prefix*" glob and what was defined for it."""

    name: str
    step_metric: str | None = None
    step_sync: bool = False
    summary: tuple[str, ...] = field(default_factory=tuple)
    goal: str | None = None
    hidden: bool = False

    def to_json(self) -> dict[str, Any]:
        """The run.json "metrics" entry (without the name, which is its key)."""
        data = asdict(self)
        del data["name"]
        data["summary"] = list(self.summary)
        return data


class MetricDefinitions:
    """The run's definitions, looked up by metric name (exact name first, then the longest matching glob)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_name: dict[str, MetricDefinition] = {}
        self._resolved: dict[str, MetricDefinition | None] = {}
        self._step_values: dict[str, Any] = {}  # last value of each step metric seen by fill_step_metrics
        self._synced_step_metrics: frozenset[str] = frozenset()
        self.has_step_sync = False

    def define(
        self,
        name: object,
        step_metric: object = None,
        step_sync: object = None,
        summary: object = None,
        goal: object = None,
        hidden: object = None,
        overwrite: object = None,
    ) -> MetricDefinition:
        """Validate and record a definition; merged into an earlier one for the same name unless overwrite."""
        name = _check_name("name", name, glob=True)
        if isinstance(step_metric, MetricDefinition):  # wandb accepts the Metric a define_metric returned
            step_metric = step_metric.name
        if step_metric is not None:
            step_metric = _check_name("step_metric", step_metric, glob=False)
        for flag_name, flag in (("step_sync", step_sync), ("hidden", hidden), ("overwrite", overwrite)):
            if flag is not None and not isinstance(flag, bool):
                raise TypeError(
                    f"define_metric(): {flag_name} must be True, False or None, got {describe(flag)}"
                )
        aggregates = _parse_summary(summary) if summary is not None else None
        goal = _parse_goal(goal) if goal is not None else None
        with self._lock:
            previous = self._by_name.get(name)
            base = previous if previous is not None and not overwrite else MetricDefinition(name)
            changes: dict[str, Any] = {}
            if step_metric is not None:
                changes["step_metric"] = step_metric
                # wandb syncs the step metric by default once one is given.
                changes["step_sync"] = True if step_sync is None else step_sync
            elif step_sync is not None:
                changes["step_sync"] = step_sync
            if aggregates is not None:
                changes["summary"] = aggregates
            if goal is not None:
                changes["goal"] = goal
            if hidden is not None:
                changes["hidden"] = hidden
            definition = replace(base, **changes)
            self._by_name[name] = definition
            self._resolved.clear()
            self._synced_step_metrics = frozenset(
                d.step_metric for d in self._by_name.values() if d.step_metric and d.step_sync
            )
            self.has_step_sync = bool(self._synced_step_metrics)
        return definition

    def lookup(self, key: str) -> MetricDefinition | None:
        """The definition that applies to metric `key`, or None."""
        try:
            return self._resolved[key]
        except KeyError:
            pass
        with self._lock:
            found = self._by_name.get(key)
            if found is None:
                globs = [d for n, d in self._by_name.items() if n.endswith("*") and key.startswith(n[:-1])]
                found = max(globs, key=lambda d: len(d.name)) if globs else None
            self._resolved[key] = found
        return found

    def to_json(self) -> dict[str, dict[str, Any]]:
        """run.json "metrics": {name_or_glob: {step_metric, step_sync, summary, goal, hidden}}."""
        with self._lock:
            return {name: definition.to_json() for name, definition in self._by_name.items()}

    def fill_step_metrics(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """step_sync: a row with a synced metric but not its step metric gets the step metric's last value.

        Called by the flusher on each batch before it is stored, in step order; the last value carries over
        from earlier batches.
        """
        if not self.has_step_sync:
            return batch
        names = batch.schema.names
        targets: dict[str, list[str]] = {}
        for key in names:
            if key.startswith("_"):
                continue
            definition = self.lookup(key)
            if definition is not None and definition.step_sync and definition.step_metric not in (None, key):
                targets.setdefault(definition.step_metric, []).append(key)  # type: ignore[arg-type]
        columns = dict(zip(names, batch.columns, strict=True))
        # Every synced step metric in this batch is followed, so its last value carries over to later batches.
        followed = [n for n in self._synced_step_metrics if n in columns and n not in targets]
        for step_name in list(targets) + followed:
            keys = targets.get(step_name, [])
            column = columns.get(step_name)
            last = self._step_values.get(step_name)
            if column is None:
                if last is None or not keys:
                    continue
                column = pa.nulls(batch.num_rows, pa.scalar(last).type)
            filled = pc.fill_null_forward(column)
            if last is not None and filled.null_count:
                filled = pc.fill_null(filled, pa.scalar(last, column.type))
            if keys:
                logged = pc.is_valid(columns[keys[0]])
                for key in keys[1:]:
                    logged = pc.or_(logged, pc.is_valid(columns[key]))
                columns[step_name] = pc.if_else(pc.and_(logged, pc.is_null(column)), filled, column)
            if len(filled) and filled[len(filled) - 1].is_valid:
                self._step_values[step_name] = filled[len(filled) - 1].as_py()
        if list(columns) == names and all(columns[n] is c for n, c in zip(names, batch.columns, strict=True)):
            return batch
        return pa.RecordBatch.from_arrays(list(columns.values()), names=list(columns))


def _check_name(argument: str, value: object, *, glob: bool) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"define_metric(): {argument} must be a non-empty string, got {describe(value)}")
    check_name(f"define_metric(): {argument}", value)
    if "*" in value:
        if not glob:
            raise ValueError(f"define_metric(): {argument} {value!r} may not contain '*'; name one metric.")
        if value.index("*") != len(value) - 1:
            raise ValueError(
                f"define_metric(): {argument} {value!r} has a '*' that is not at the end; only prefix globs "
                "like 'train/*' are supported (as in wandb)."
            )
    return value


def _parse_summary(summary: object) -> tuple[str, ...]:
    if not isinstance(summary, str):
        raise TypeError(
            f"define_metric(): summary must be a string such as 'min' or 'min,max', got {describe(summary)}"
        )
    parts = tuple(dict.fromkeys(p.strip().lower() for p in summary.split(",") if p.strip()))
    unknown = [p for p in parts if p not in SUMMARY_AGGREGATES]
    if not parts or unknown:
        raise ValueError(
            f"define_metric(): summary {summary!r} is not understood; use one or more of "
            f"{', '.join(SUMMARY_AGGREGATES)}, separated by commas (e.g. 'min,max')."
        )
    if "none" in parts and len(parts) > 1:
        raise ValueError(f"define_metric(): summary {summary!r} combines 'none' with other aggregates.")
    return parts


def _parse_goal(goal: object) -> str:
    if not isinstance(goal, str) or goal.lower() not in _GOAL_ALIASES:
        raise ValueError(f"define_metric(): goal must be 'minimize' or 'maximize', got {describe(goal)}")
    return _GOAL_ALIASES[goal.lower()]
