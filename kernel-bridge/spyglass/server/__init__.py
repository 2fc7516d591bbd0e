"""Jupyter server extension: serves stored runs (run.json, framed-log slices) to the JupyterLab frontend."""

from __future__ import annotations

import os
from typing import Any

from jupyter_server.utils import url_path_join

from .bucket_sync import store_mirror
from .calls_feedback_handlers import CallFeedbackHandler, CallsSqlHandler
from .calls_handlers import CallsListHandler, CallTraceHandler
from .evals_handlers import EvalsCompareHandler, EvalsListHandler
from .file_handlers import MediaFileHandler
from .handlers import HistorySliceHandler, RunMetadataHandler
from .lineage_handlers import LineageHandler
from .otlp_handlers import OtlpTracesHandler
from .playground_handlers import (
    PlaygroundModelsHandler,
    PlaygroundProvidersHandler,
    PlaygroundRunHandler,
    PlaygroundSaveHandler,
)
from .report_handlers import ReportHandler
from .run_access import allowed_roots
from .sweep_handlers import SweepControlHandler, SweepSnapshotHandler
from .sweep_list_handlers import SweepListHandler
from .workspace_export_handlers import WorkspaceExportHandler
from .workspace_handlers import MetricHandler, RunsListHandler
from .workspace_histogram_handlers import HistogramsHandler
from .workspace_layout_handlers import WorkspaceLayoutHandler, WorkspaceProjectsHandler
from .workspace_window_handlers import MetricWindowHandler

API_PREFIX = "spyglass/api/v1"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Let `jpserver_extensions` enable `spyglass.server` directly, as well as `spyglass`."""
    return [{"module": "spyglass.server"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Register the Spyglass API handlers with the running Jupyter server."""
    root_dir = os.path.abspath(os.path.expanduser(server_app.root_dir))
    web_app = server_app.web_app
    web_app.settings["spyglass"] = {
        "root_dir": root_dir,
        "roots": allowed_roots(root_dir, os.environ.get("SPYGLASS_DIR")),
        "mirror": store_mirror(os.environ.get("SPYGLASS_DIR")),  # None unless the store is s3://
    }
    base_url = web_app.settings["base_url"]
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base_url, API_PREFIX, "run"), RunMetadataHandler),
            (url_path_join(base_url, API_PREFIX, "history"), HistorySliceHandler),
            (url_path_join(base_url, API_PREFIX, "sweep"), SweepSnapshotHandler),
            (url_path_join(base_url, API_PREFIX, "sweep", "control"), SweepControlHandler),
            (url_path_join(base_url, API_PREFIX, "sweeps"), SweepListHandler),
            (url_path_join(base_url, API_PREFIX, "lineage"), LineageHandler),
            (url_path_join(base_url, API_PREFIX, "report"), ReportHandler),
            (url_path_join(base_url, API_PREFIX, "file"), MediaFileHandler),
            (url_path_join(base_url, API_PREFIX, "runs"), RunsListHandler),
            (url_path_join(base_url, API_PREFIX, "metric"), MetricHandler),
            (url_path_join(base_url, API_PREFIX, "metric_window"), MetricWindowHandler),
            (url_path_join(base_url, API_PREFIX, "histograms"), HistogramsHandler),
            (url_path_join(base_url, API_PREFIX, "workspace_layout"), WorkspaceLayoutHandler),
            (url_path_join(base_url, API_PREFIX, "workspace_projects"), WorkspaceProjectsHandler),
            (url_path_join(base_url, API_PREFIX, "workspace_export"), WorkspaceExportHandler),
            (url_path_join(base_url, API_PREFIX, "otlp", "v1", "traces"), OtlpTracesHandler),
            (url_path_join(base_url, API_PREFIX, "calls"), CallsListHandler),
            (url_path_join(base_url, API_PREFIX, "calls", "trace"), CallTraceHandler),
            (url_path_join(base_url, API_PREFIX, "calls", "feedback"), CallFeedbackHandler),
            (url_path_join(base_url, API_PREFIX, "calls", "sql"), CallsSqlHandler),
            (url_path_join(base_url, API_PREFIX, "playground", "providers"), PlaygroundProvidersHandler),
            (url_path_join(base_url, API_PREFIX, "playground", "models"), PlaygroundModelsHandler),
            (url_path_join(base_url, API_PREFIX, "playground", "run"), PlaygroundRunHandler),
            (url_path_join(base_url, API_PREFIX, "playground", "save"), PlaygroundSaveHandler),
            (url_path_join(base_url, API_PREFIX, "evals"), EvalsListHandler),
            (url_path_join(base_url, API_PREFIX, "evals", "compare"), EvalsCompareHandler),
        ],
    )
    server_app.log.info("Spyglass server extension: serving runs under %s", root_dir)
