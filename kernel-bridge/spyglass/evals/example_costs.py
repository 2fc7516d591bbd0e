"""What each example's prediction cost, from the trace store: the `cost` and `usage` the LLM integrations
set on calls (spyglass.traces.current_call()), summed over the predict call and everything under it.
Scorer calls (an LLM judge) are not counted: they are the evaluation's cost, not the model's.
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass, field
from typing import Any

from ..api.public_api import Api
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
    root: str | os.PathLike[str], project: str, trace_id: str, predict_op: str, example_ids: set[str]
) -> dict[str, ExampleCost]:
    """{example call id: its prediction's cost and usage}, for the examples whose calls carried any."""
    calls = list(Api(dir=root).calls(project, filters={"trace_id": trace_id}))
    parent = {call.id: call.parent_id for call in calls}
    op_name = {call.id: call.op_name for call in calls}
    costs: dict[str, ExampleCost] = {}
    for call in calls:
        if call.cost is None and not call.usage:
            continue
        example = _example_of(call.id, parent, op_name, predict_op, example_ids)
        if example is None:
            continue
        total = costs.setdefault(example, ExampleCost())
        if call.cost is not None and math.isfinite(call.cost):
            total.cost = (total.cost or 0.0) + call.cost
        for key, value in (call.usage or {}).items():
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


def attach_costs(
    root: str | os.PathLike[str], project: str, trace_id: str, predict_op: str, results: list[ExampleResult]
) -> None:
    """Set each result's cost and usage from its calls; a store that cannot be read costs only the costs."""
    ids = {result.call_id for result in results if result.call_id is not None}
    try:
        costs = example_costs(root, project, trace_id, predict_op, ids)
    except Exception as error:
        warnings.warn(f"evaluation: the calls' costs could not be read: {error}", stacklevel=2)
        return
    for result in results:
        found = costs.get(result.call_id or "")
        if found is not None:
            result.cost, result.usage, result.tokens = found.cost, found.usage, found.tokens
