"""What each example's prediction cost, from the trace store: the `cost` and `usage` the LLM integrations
set on calls (spyglass.traces.current_call()), summed over the predict call and everything under it.
Scorer calls (an LLM judge) are not counted: they are the evaluation's cost, not the model's.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.compute as pc

from ..traces.call_reader import read_session_calls
from ..traces.trace_destination import flush_traces
from .example_runner import ExampleResult


@dataclass
class ExampleCost:
    cost: float | None = None
    usage: dict[str, float] = field(default_factory=dict)

    @property
    def tokens(self) -> int | None:
        """total_tokens when the usage has it, else input + output (or prompt + completion) tokens."""
        if not self.usage:
            return None
        if "total_tokens" in self.usage:
            return int(self.usage["total_tokens"])
        parts = ("input_tokens", "output_tokens", "prompt_tokens", "completion_tokens")
        found = [self.usage[name] for name in parts if name in self.usage]
        return int(sum(found)) if found else None


def example_costs(
    session: Path, trace_id: str, predict_op: str, example_ids: set[str]
) -> dict[str, ExampleCost]:
    """{example call id: its prediction's cost and usage}, for the examples whose calls carried any.

    Reads the four columns it needs of the run's trace session as Arrow (decoding every call as the read
    API does cost more than the evaluation itself: bench/evals).
    """
    flush_traces()
    table = read_session_calls(session).select(["id", "parent_id", "op_name", "trace_id", "cost", "usage"])
    table = table.filter(pc.equal(table.column("trace_id"), trace_id))
    ids, parents, names = (table.column(name).to_pylist() for name in ("id", "parent_id", "op_name"))
    parent, op_name = dict(zip(ids, parents, strict=True)), dict(zip(ids, names, strict=True))
    priced = pc.or_(pc.is_valid(table.column("cost")), pc.is_valid(table.column("usage")))
    costs: dict[str, ExampleCost] = {}
    for row in table.filter(priced).select(["id", "cost", "usage"]).to_pylist():
        example = _example_of(row["id"], parent, op_name, predict_op, example_ids)
        if example is None:
            continue
        total = costs.setdefault(example, ExampleCost())
        if row["cost"] is not None and math.isfinite(row["cost"]):
            total.cost = (total.cost or 0.0) + row["cost"]
        usage = json.loads(row["usage"]) if row["usage"] else {}
        for key, value in (usage if isinstance(usage, dict) else {}).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                total.usage[key] = total.usage.get(key, 0) + value
    return costs


def _example_of(
    call_id: str, parent: dict[str, Any], op_name: dict[str, str], predict_op: str, examples: set[str]
) -> str | None:
    # Walk up to the example's call; count the call only if the way passes through its predict call.
    through_predict = False
    current: str | None = call_id
    while current is not None and current in parent:
        if current in examples:
            return current if through_predict else None
        through_predict = through_predict or op_name[current] == predict_op
        current = parent[current]
    return None


def attach_costs(session: Path, trace_id: str, predict_op: str, results: list[ExampleResult]) -> None:
    """Set each result's cost and usage from its calls; a store that cannot be read costs only the costs."""
    ids = {result.call_id for result in results if result.call_id is not None}
    try:
        costs = example_costs(session, trace_id, predict_op, ids)
    except Exception as error:
        warnings.warn(f"evaluation: the calls' costs could not be read: {error}", stacklevel=2)
        return
    for result in results:
        found = costs.get(result.call_id or "")
        if found is not None:
            result.cost, result.usage, result.tokens = found.cost, found.usage, found.tokens
