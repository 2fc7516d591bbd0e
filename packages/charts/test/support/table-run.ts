import type { TableRun } from '../../src/workspace/run-columns.js';

/** A finished run of the runs table with empty config and summary; `fields` replaces any of its fields. */
export function tableRun(id: string, fields: Partial<TableRun> = {}): TableRun {
  return {
    run_dir: `/store/p/${id}`,
    run_id: id,
    name: id,
    state: 'finished',
    created_at: 1,
    duration: 1,
    tags: [],
    group: null,
    job_type: null,
    config: {},
    summary: {},
    metrics: [],
    damaged: null,
    ...fields,
  };
}
