"""Traces: @sg.op records calls (inputs, output, exception, times, parent) into the store (docs/traces.md)."""

from .call_attributes import AttributesError, attributes
from .call_lifecycle import TracingFailedWarning
from .call_reader import read_project_calls, session_directories
from .call_record import CallRecord, current_call
from .op_wrappers import op
from .otlp_export import export_otlp
from .trace_destination import current_run, finish_traces, flush_traces, init_traces
from .trace_display import TracesView, display_traces
from .trace_session import TraceSession, TraceWriteWarning
from .value_encoding import REDACTED

__all__ = [
    "REDACTED",
    "AttributesError",
    "CallRecord",
    "TraceSession",
    "TraceWriteWarning",
    "TracesView",
    "TracingFailedWarning",
    "attributes",
    "current_call",
    "current_run",
    "display_traces",
    "export_otlp",
    "finish_traces",
    "flush_traces",
    "init_traces",
    "op",
    "read_project_calls",
    "session_directories",
]
