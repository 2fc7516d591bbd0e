/** Protocol version spoken by this package. A peer with a newer major is refused; minors are additive. */
export const PROTOCOL_MAJOR = 1;
/** 1.1: frame chunks and replay requests may name a stream ('history' or 'system'). 1.2: run info may carry
 * `degraded` (the run's rows cannot be stored right now, and why). */
export const PROTOCOL_MINOR = 2;

/** Jupyter comm target name the frontend registers and the kernel opens. */
export const COMM_TARGET = 'spyglass';

/** MIME type of a run panel in a cell output bundle. */
export const RUN_MIME_TYPE = 'application/vnd.spyglass.run.v1+json';

/** MIME type of a sweep panel: `{sweep_dir, sweep_id, project, snapshot}` (see sweep-snapshot.ts). */
export const SWEEP_MIME_TYPE = 'application/vnd.spyglass.sweep.v1+json';

/** MIME type of a table explorer output: `{run_dir, path, key, step, nrows, columns, inline_arrow}` (table-output.ts). */
export const TABLE_MIME_TYPE = 'application/vnd.spyglass.table.v1+json';

/** Upper bound for the sum of a comm message's binary buffers (Tornado closes the socket at 10 MiB). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
