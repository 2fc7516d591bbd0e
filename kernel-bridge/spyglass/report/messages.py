"""Every user-facing text the report builder writes into a report or prints."""

from __future__ import annotations

RUN_MISSING = "Run {name} ({run_id}) is not in the store (looked in {places}); its charts are left out."
RUN_OUTSIDE_ROOTS = (
    "Run {name} ({run_id}) is left out: {places} lies outside the server's root_dir and $SPYGLASS_DIR "
    "(a symlink or a recorded path leading elsewhere)."
)
RUN_UNREADABLE = "Run {name} ({run_id}) cannot be read: {error}"
MORE_CHARTS = "{count} more metrics are not charted (a panel embeds at most {limit} charts): {names}"
WORKSPACE_NOT_REACHABLE = (
    "Project {project} is not in a reachable store (looked in {places}); its runs are left out."
)
MORE_RUNS = "{count} older runs of the project are left out (a workspace embeds at most {limit} runs)."
NO_METRICS = "No numeric metrics were logged."
TABLE_TRUNCATED = (
    "Showing {shown:,} of {total:,} rows: {left:,} rows are left out (reports embed at most {limit:,} rows)."
)
MEDIA_NOT_EMBEDDED = "{kind} (reports do not embed it)"
MEDIA_OVER_BUDGET = "image left out: the report's {limit:,} bytes for table images are used up"
MEDIA_TOO_LARGE = "image left out: its thumbnail exceeds {limit:,} bytes"
MEDIA_MISSING = "image left out: {path} is not in the table's directory"
MEDIA_UNREADABLE = "image left out: it cannot be read ({error})"
MEDIA_NEEDS_PILLOW = "image left out: thumbnails of large images need Pillow (pip install pillow)"
TABLE_UNREADABLE = "This table cannot be read: {error}"
PLOT_SPEC_REFUSED = "This plot's spec loads data from elsewhere, which reports never do; its table follows."
LINEAGE_TITLE = "lineage · {project}"
LINEAGE_NOT_REACHABLE = (
    "Project {project} is not in a reachable store (looked in {places}): this lineage graph is the one saved "
    "with the notebook, which may be older than the store."
)
LINEAGE_UNREADABLE = (
    "The lineage of project {project} cannot be read ({error}): this is the graph saved with the notebook."
)
LINEAGE_EMPTY = "This lineage output has no graph to draw."
LINEAGE_TOO_LARGE = "A lineage graph of {count} nodes is shown as text (reports draw up to {limit} nodes)."
UNKNOWN_SPYGLASS_OUTPUT = "A Spyglass output of type {mime} (shown as text: reports do not draw it yet)."
IMAGE_TOO_LARGE = "An image output of {size} bytes is left out (reports embed images up to {limit} bytes)."
TEXT_TRUNCATED = "\n… ({count} more characters not shown)"
OUTPUT_ERROR = "{ename}: {evalue}"
WORKSPACE_TITLE = "Workspace: project {project}"
RUN_TITLE = "Run {name} ({project}/{run_id})"
SWEEP_TITLE = "Sweep {name} ({method}, {state}): {done} done, {failed} failed"
SWEEP_NOT_REACHABLE = (
    "The sweep's directory is not reachable (looked in {places}): this is the snapshot saved with the "
    "notebook, which may be older than the sweep."
)
SWEEP_OUTSIDE_ROOTS = (
    "The sweep's directory {places} lies outside the server's root_dir and $SPYGLASS_DIR: this is the "
    "snapshot saved with the notebook, which may be older than the sweep."
)
SWEEP_UNREADABLE = (
    "The sweep at {path} cannot be read ({error}): this is the snapshot saved with the notebook."
)
RUNTIME_MISSING = (
    "The report runtime {path} is missing. In a source checkout run `npm run build` (it builds "
    "packages/report into that file); installed wheels ship it."
)
NOTEBOOK_UNREADABLE = "Cannot read the notebook {path}: {error}"
WROTE = "spyglass: report written to {path} ({size} bytes)"
UNTITLED = "Untitled report"
NOSCRIPT = "This report draws its content with JavaScript; enable it to read the report."
LOADING = "Loading report…"
TRACES_ROOTS_TITLE = "traces · {project} · root calls"
TRACES_TREE_TITLE = "call tree · {op_name} · {trace_id}"
TRACES_NOT_REACHABLE = (
    "The traces of project {project!r} are not in any store this report can read ({places})."
)
TRACES_UNREADABLE = "Cannot read the traces of project {project!r}: {error}"
TRACES_EMPTY = "Project {project!r} has no traced calls yet."
TRACES_MORE_ROOTS = "{shown} of {total} root calls, the newest first."
TRACES_MORE_CALLS = "{shown} of the trace's {total} calls (a report embeds up to {limit})."
EVALS_SCORES_TITLE = "evaluations · mean score per scorer"
EVALS_AMOUNTS_TITLE = "evaluations · cost and latency"
EVALS_EXAMPLES_TITLE = "evaluations · examples, regressions first"
EVALS_EXAMPLES_NOTE = (
    "{counts}. Against the baseline {baseline}: a regression scores lower on some scorer (or fails) and "
    "higher on none; booleans count as 0/1 and a failed example as 0."
)
EVALS_NOT_REACHABLE = (
    "Project {project} is not in a reachable store (looked in {places}); its evaluations are left out."
)
EVALS_UNREADABLE = "The evaluations of {project} cannot be read: {error}"
