"""A notebook's cells and outputs as report blocks, in order, with the runs they show."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from ..base.path_confinement import Roots
from ..base.protocol_constants import (
    EVALS_MIME_TYPE,
    LINEAGE_MIME_TYPE,
    MIME_TYPE_PREFIX,
    RUN_MIME_TYPE,
    SWEEP_MIME_TYPE,
    TABLE_MIME_TYPE,
    TRACES_MIME_TYPE,
    WORKSPACE_MIME_TYPE,
)
from ..workspace_data.index import run_directories
from . import messages
from .budgets import IMAGE_BYTES_LIMIT, RUNS_PER_WORKSPACE, TEXT_OUTPUT_LIMIT
from .chart_panels import ChartContext, charts_block
from .evals_block import evals_blocks
from .lineage_block import lineage_blocks
from .plot_block import plot_block
from .run_source import first_existing, locate_run, project_store, run_summary
from .store_pull import StorePull
from .sweep_panel import sweep_blocks
from .table_media import MediaBudget
from .table_rows import table_block
from .trace_block import trace_blocks


class BlockCollector:
    """Walks a notebook once; `blocks` and `context.runs` hold the result."""

    def __init__(
        self,
        notebook_dir: Path,
        store: Path | None,
        include_code: bool,
        roots: Roots | None = None,
        pull: StorePull | None = None,
    ) -> None:
        self.notebook_dir = notebook_dir
        self.store = store
        self.pull = pull or StorePull()  # a bucket store's runs are pulled before they are read
        self.include_code = include_code
        self.roots = roots  # server-built reports: nothing is read from outside these
        self.context = ChartContext()
        self.media = MediaBudget()  # every table thumbnail of the report shares it
        self.blocks: list[dict[str, Any]] = []

    def add_notebook(self, notebook: Any) -> None:
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                self.blocks.append({"kind": "markdown", "text": _text(cell.source)})
            elif cell.cell_type == "code":
                if self.include_code and _text(cell.source).strip():
                    count = cell.get("execution_count")
                    self.blocks.append(
                        {"kind": "code", "source": _text(cell.source), "execution_count": count}
                    )
                for output in cell.get("outputs", []):
                    self._add_output(output)

    def _add_output(self, output: Any) -> None:
        kind = output.get("output_type")
        if kind == "stream":
            self._add_text(_text(output.get("text", "")))
        elif kind == "error":
            error = messages.OUTPUT_ERROR.format(ename=output.get("ename"), evalue=output.get("evalue"))
            self.blocks.append({"kind": "text", "text": error})
        elif kind in ("display_data", "execute_result"):
            self._add_bundle(output.get("data") or {})

    def _add_bundle(self, data: dict[str, Any]) -> None:
        if RUN_MIME_TYPE in data:
            self._add_run(data[RUN_MIME_TYPE])
        elif WORKSPACE_MIME_TYPE in data:
            self._add_workspace(data[WORKSPACE_MIME_TYPE])
        elif SWEEP_MIME_TYPE in data:
            self.blocks.extend(sweep_blocks(data[SWEEP_MIME_TYPE], self.store, self.notebook_dir, self.roots))
        elif EVALS_MIME_TYPE in data:
            self._add_evaluations(data)
        elif TABLE_MIME_TYPE in data:
            bundle = data[TABLE_MIME_TYPE]
            block = table_block(bundle, self.store, self.roots, self.media)
            if "spec" in bundle and block["kind"] == "table":
                self.blocks.extend(plot_block(bundle["spec"], block))
            else:
                self.blocks.append(block)
        elif LINEAGE_MIME_TYPE in data:
            bundle = data[LINEAGE_MIME_TYPE]
            root, places = self._project_store(bundle)
            self.blocks.extend(lineage_blocks(bundle, root, places, self.roots, data.get("text/plain")))
        elif TRACES_MIME_TYPE in data:
            bundle = data[TRACES_MIME_TYPE]
            self.blocks.extend(trace_blocks(bundle, *self._project_store(bundle)))
        elif any(mime.startswith(MIME_TYPE_PREFIX) for mime in data):
            mime = min(m for m in data if m.startswith(MIME_TYPE_PREFIX))
            self._add_notice(messages.UNKNOWN_SPYGLASS_OUTPUT.format(mime=mime), data)
        elif "image/png" in data or "image/jpeg" in data:
            mime = "image/png" if "image/png" in data else "image/jpeg"
            payload = _text(data[mime]).replace("\n", "")
            if len(payload) * 3 // 4 > IMAGE_BYTES_LIMIT:
                self._add_too_large(len(payload) * 3 // 4)
            else:
                base64.b64decode(payload, validate=True)  # not base64: fail loudly rather than embed junk
                self.blocks.append({"kind": "image", "mime": mime, "data": payload})
        elif "image/svg+xml" in data:
            svg = _text(data["image/svg+xml"])
            if len(svg.encode()) > IMAGE_BYTES_LIMIT:
                self._add_too_large(len(svg.encode()))
            else:
                self.blocks.append({"kind": "svg", "svg": svg})
        elif "text/plain" in data:
            self._add_text(_text(data["text/plain"]))

    def _project_store(self, bundle: dict[str, Any]) -> tuple[Path | None, list[Path]]:
        """The store root holding the output's project (or None) and the roots looked at."""
        project = str(bundle.get("project", ""))
        return project_store(project, bundle.get("store_root"), self.store, self.notebook_dir, self.roots)

    def _add_text(self, text: str) -> None:
        if len(text) > TEXT_OUTPUT_LIMIT:
            text = text[:TEXT_OUTPUT_LIMIT] + messages.TEXT_TRUNCATED.format(
                count=len(text) - TEXT_OUTPUT_LIMIT
            )
        if text.strip():
            self.blocks.append({"kind": "text", "text": text})

    def _add_notice(self, text: str, data: dict[str, Any]) -> None:
        detail = _text(data.get("text/plain", "")) or None
        self.blocks.append({"kind": "notice", "text": text, "detail": detail})

    def _add_too_large(self, size: int) -> None:
        note = messages.IMAGE_TOO_LARGE.format(size=size, limit=IMAGE_BYTES_LIMIT)
        self.blocks.append({"kind": "notice", "text": note, "detail": None})

    def _add_run(self, bundle: dict[str, Any]) -> None:
        project, run_id = str(bundle.get("project", "")), str(bundle.get("run_id", ""))
        name = str(bundle.get("name") or run_id)
        if project and run_id:
            self.pull.run(project, run_id)
        places = locate_run(bundle.get("run_dir"), project, run_id, self.store, self.notebook_dir)
        path, refused = first_existing(places, self.roots)
        if path is None:
            template = messages.RUN_OUTSIDE_ROOTS if refused else messages.RUN_MISSING
            note = template.format(name=name, run_id=run_id, places=", ".join(map(str, refused or places)))
            self.blocks.append({"kind": "notice", "text": note, "detail": None})
            return
        summary = self._remember(path)
        title = messages.RUN_TITLE.format(
            name=summary["name"], project=summary["project"], run_id=summary["id"]
        )
        self.blocks.append(charts_block(title, [(summary, path)], self.context))

    def _add_workspace(self, bundle: dict[str, Any]) -> None:
        project = str(bundle.get("project", ""))
        if project:
            self.pull.project(project)
        root, candidates = project_store(
            project, bundle.get("store_root"), self.store, self.notebook_dir, self.roots
        )
        runs = run_directories(root, project, self.roots) if root is not None else []
        summaries = sorted(
            ((run_summary(path), path) for path in runs),
            key=lambda pair: (-float(pair[0]["created_at"] or 0), pair[0]["id"]),
        )
        kept = summaries[:RUNS_PER_WORKSPACE]
        if root == self.store:
            self.pull.runs(project, [path.name for _, path in kept])
        for _, path in kept:
            self._remember(path)
        block = charts_block(messages.WORKSPACE_TITLE.format(project=project), kept, self.context)
        notes = [block["note"]]
        if root is None:
            places = ", ".join(str(r / project) for r in candidates)
            notes.append(messages.WORKSPACE_NOT_REACHABLE.format(project=project, places=places))
        if len(summaries) > len(kept):
            notes.append(
                messages.MORE_RUNS.format(count=len(summaries) - len(kept), limit=RUNS_PER_WORKSPACE)
            )
        block["note"] = "\n".join(filter(None, notes)) or None
        self.blocks.append(block)

    def _add_evaluations(self, data: dict[str, Any]) -> None:
        bundle = data[EVALS_MIME_TYPE]
        project = str(bundle.get("project", ""))
        if project:
            self.pull.project(project)
        root, places = project_store(
            project, bundle.get("store_root"), self.store, self.notebook_dir, self.roots
        )
        self.blocks.extend(evals_blocks(bundle, root, places, self.roots))
        if TABLE_MIME_TYPE in data:  # evaluate()'s summary: its per-example results follow its aggregates
            self.blocks.append(table_block(data[TABLE_MIME_TYPE], self.store, self.roots, self.media))

    def _remember(self, path: Path) -> dict[str, Any]:
        summary = run_summary(path)
        self.context.runs.setdefault(f"{summary['project']}/{summary['id']}", summary)
        return summary


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)
