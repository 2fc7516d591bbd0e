import constants from '../fixtures/constants.json' with { type: 'json' };

// Every value here comes from fixtures/constants.json, which the Python tests compare with the Python values, so
// the two languages cannot drift apart. Types are spelled out so the declarations do not refer to the JSON file.

/** Protocol version spoken by this package. A peer with a newer major is refused; minors are additive.
 * 1.1: frame chunks and replay requests may name a stream ('history' or 'system'). 1.2: run info may carry
 * `degraded` (the run's rows cannot be stored right now, and why). 1.3: `calls` messages carry a trace
 * session's call rows while they happen (Arrow IPC in the buffers). */
export const PROTOCOL_MAJOR: number = constants.protocolVersion.major;
export const PROTOCOL_MINOR: number = constants.protocolVersion.minor;

/** Jupyter comm target name the frontend registers and the kernel opens. */
export const COMM_TARGET: string = constants.commTarget;

/** MIME type of a run panel in a cell output bundle. */
export const RUN_MIME_TYPE: string = constants.mimeTypes.run;

/** MIME type of a sweep panel: `{sweep_dir, sweep_id, project, snapshot}` (see sweep-snapshot.ts). */
export const SWEEP_MIME_TYPE: string = constants.mimeTypes.sweep;

/** MIME type of a table explorer output: `{run_dir, path, key, step, nrows, columns, inline_arrow}` (table-output.ts). */
export const TABLE_MIME_TYPE: string = constants.mimeTypes.table;

/** MIME type of an embedded workspace: `{store_root, project, layout_key}` (workspace-output.ts). */
export const WORKSPACE_MIME_TYPE: string = constants.mimeTypes.workspace;

/** MIME type of a lineage panel in a cell output bundle (`art`, `run.lineage()`; lineage-graph.ts). */
export const LINEAGE_MIME_TYPE: string = constants.mimeTypes.lineage;

/** MIME type of a live trace panel in a cell output: `{project, store_root, protocol}` (traces-output.ts). */
export const TRACES_MIME_TYPE: string = constants.mimeTypes.traces;

/** MIME type of an evaluation comparison `{project, store_root, run_ids}` (sg.compare_evaluations). */
export const EVALS_MIME_TYPE: string = constants.mimeTypes.evals;

/** Every Spyglass MIME type by what it shows. */
export const MIME_TYPES: Readonly<
  Record<'run' | 'table' | 'sweep' | 'workspace' | 'lineage' | 'traces' | 'evals', string>
> = constants.mimeTypes;

/** Upper bound for the sum of a comm message's binary buffers (Tornado closes the socket at 10 MiB). */
export const MAX_MESSAGE_BYTES: number = constants.maxMessageBytes;

/**
 * The 20-colour categorical run palette (packages/charts' runs, the Python SVG charts): readable on light and
 * dark backgrounds, picked greedily so a project's first few runs differ the most.
 */
export const RUN_PALETTE: readonly string[] = constants.palette;
