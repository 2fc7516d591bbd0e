/**
 * Every command the extension registers, in one place and one style (`spyglass:<verb>-<object>`). The IDs are
 * public: tests, docs and users' keyboard shortcuts name them, so they never change.
 */
export namespace CommandIDs {
  /** Opens (or focuses) the workspace; args {store_root?, project?, select?: string[]}. */
  export const openWorkspace = 'spyglass:open-workspace';
  /** Opens (or focuses) a project's trace panel; args {project, store_root?} (docs/traces.md#trace-panel). */
  export const openTraces = 'spyglass:open-traces';
  /** Opens a comparison of a project's evaluations; args {project, run_ids?: baseline first, store_root?}
   * (docs/evaluations.md#comparison-panel). */
  export const compareEvaluations = 'spyglass:compare-evaluations';
  /** Opens a playground; args {project?: default 'playground', store_root?} (docs/playground.md). */
  export const openPlayground = 'spyglass:open-playground';
  /** Builds `<notebook>.report.html` beside the current notebook (docs/reports.md). */
  export const publishReport = 'spyglass:publish-report';
  /** Runs SQL on the page's DuckDB-WASM database; returns row objects (tests and debugging). */
  export const query = 'spyglass:query';
  /** Rows the page holds for a run. */
  export const rowCount = 'spyglass:row-count';
  /** Engine start and ingest timings of this page. */
  export const stats = 'spyglass:stats';
}
