"""The root list's filters (op, status, text, time range, attribute, feedback) as one mask over the roots.

Feedback counts for a trace when it is on any call of the trace (a thumbs down on an llm call inside an agent
marks the agent's run), as tokens and cost are summed over the trace.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .calls_index import ProjectCalls
from .calls_sql import run_sql

STATUSES = ("success", "error", "running", "unfinished")
FEEDBACK_FILTERS = ("any", "none", "up", "down", "note")
_ATTRIBUTE_KEY = re.compile(r"[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*")


class CallsQueryError(ValueError):
    """A query argument the calls endpoints cannot use (answered as a 400 naming it)."""


@dataclass(frozen=True)
class RootFilters:
    """What the list is filtered on; None (or empty) filters nothing."""

    op_name: str | None = None
    status: str | None = None
    text: str | None = None
    since: str | None = None  # started at or after: epoch seconds or ISO 8601 (UTC when no offset)
    until: str | None = None  # started before
    attribute: str | None = None  # "key=value" on the root's attributes (dotted key for nested objects)
    label: str | None = None  # a label on any call of the trace
    feedback: str | None = None  # any | none | up | down | note


def checked(filters: RootFilters) -> None:
    if filters.status is not None and filters.status not in STATUSES:
        raise CallsQueryError(f"status must be one of {', '.join(STATUSES)}, got {filters.status!r}")
    if filters.feedback is not None and filters.feedback not in FEEDBACK_FILTERS:
        raise CallsQueryError(
            f"feedback must be one of {', '.join(FEEDBACK_FILTERS)}, got {filters.feedback!r}"
        )


def root_mask(calls: ProjectCalls, filters: RootFilters, by_trace: Mapping[str, dict[str, Any]]) -> Any:
    """A boolean array over calls.roots (None when nothing is filtered)."""
    checked(filters)
    roots = calls.roots
    conditions = [
        pc.equal(roots["op_name"], filters.op_name) if filters.op_name else None,
        pc.equal(roots["status"], filters.status) if filters.status else None,
        pc.match_substring(calls.search(), filters.text.lower()) if filters.text else None,
        _time_condition(roots, filters.since, "since", pc.greater_equal),
        _time_condition(roots, filters.until, "until", pc.less),
        _attribute_condition(roots, filters.attribute) if filters.attribute else None,
        _feedback_condition(roots, filters, by_trace),
    ]
    mask = None
    for condition in conditions:
        if condition is not None:
            mask = condition if mask is None else pc.and_(mask, condition)
    return mask


def _time_condition(roots: pa.Table, raw: str | None, name: str, compare) -> Any:
    if not raw:
        return None
    try:
        moment = datetime.datetime.fromtimestamp(float(raw), datetime.timezone.utc)
    except (ValueError, OverflowError, OSError):
        try:
            moment = datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise CallsQueryError(
                f"{name} must be epoch seconds or an ISO 8601 time (2026-05-01T12:00:00Z), got {raw!r}"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
    return compare(roots["started_at"], pa.scalar(moment, roots.schema.field("started_at").type))


def _attribute_condition(roots: pa.Table, attribute: str) -> Any:
    key, separator, value = attribute.partition("=")
    key = key.strip()
    if not separator or not _ATTRIBUTE_KEY.fullmatch(key):
        raise CallsQueryError(
            "attribute must be key=value (a key of letters, digits, _ and -, dotted for nested ones), "
            f"got {attribute!r}"
        )
    matched = run_sql(
        "select coalesce(json_extract_string(case when json_valid(attributes) then attributes end, ?) = ?,"
        " false) as hit from roots",
        {"roots": roots.select(["attributes"])},
        params=[f"$.{key}", value.strip()],
    )
    return matched.column("hit")


def _feedback_condition(roots: pa.Table, filters: RootFilters, by_trace: Mapping[str, dict[str, Any]]) -> Any:
    if not filters.feedback and not filters.label:
        return None

    def keep(summary: dict[str, Any] | None) -> bool:
        if filters.label and (summary is None or filters.label not in summary["labels"]):
            return False
        if filters.feedback == "none":
            return summary is None
        if filters.feedback == "any":
            return summary is not None
        if filters.feedback in ("up", "down"):
            return summary is not None and summary[filters.feedback] > 0
        if filters.feedback == "note":
            return summary is not None and summary["notes"] > 0
        return True

    wanted = [trace for trace, summary in by_trace.items() if keep(summary)]
    if filters.feedback == "none" and not filters.label:
        return pc.invert(pc.is_in(roots["trace_id"], value_set=pa.array(list(by_trace), pa.string())))
    return pc.is_in(roots["trace_id"], value_set=pa.array(wanted, pa.string()))


def feedback_by_trace(
    calls: ProjectCalls, by_call: Mapping[str, list[dict[str, Any]]]
) -> dict[str, dict[str, Any]]:
    """{trace id: {"up", "down", "notes", "labels"}} over the feedback on every call of each trace."""
    if not by_call:
        return {}
    call_ids = pa.array(list(by_call), pa.string())
    summaries: dict[str, dict[str, Any]] = {}
    for session in calls.sessions:
        ids = session.ids.filter(pc.is_in(session.ids["id"], value_set=call_ids))
        for call_id, trace_id in zip(ids["id"].to_pylist(), ids["trace_id"].to_pylist(), strict=True):
            summary = summaries.setdefault(trace_id, {"up": 0, "down": 0, "notes": 0, "labels": []})
            for entry in by_call[call_id]:
                if entry["kind"] == "thumbs":
                    summary[entry["value"]] += 1
                elif entry["kind"] == "note":
                    summary["notes"] += 1
                elif entry["value"] not in summary["labels"]:
                    summary["labels"].append(entry["value"])
    return summaries
