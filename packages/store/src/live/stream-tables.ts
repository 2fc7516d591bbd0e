import type { Stream } from '@spyglass/protocol';

/**
 * Where one stream of a run lives in the page database. History rows are indexed by `_step` (an integer), system
 * samples by `_runtime` (seconds since the run started); each stream has its own frame ledger, since both number
 * their frames from 0.
 */
export interface StreamTables {
  stream: Stream;
  /** Ledger of ingested frames (run_id, seq, rows), used to skip frames seen before. */
  frames: string;
  /** Long-format values (run_id, <x>, ts, metric, value). */
  points: string;
  /** The payload column every row must have; it becomes the x column. */
  indexColumn: '_step' | '_runtime';
  /** Name and SQL type of the x column in `points`. */
  x: 'step' | 'runtime';
  xType: 'BIGINT' | 'DOUBLE';
}

export const HISTORY_TABLES: StreamTables = {
  stream: 'history',
  frames: 'frames',
  points: 'points',
  indexColumn: '_step',
  x: 'step',
  xType: 'BIGINT',
};

export const SYSTEM_TABLES: StreamTables = {
  stream: 'system',
  frames: 'system_frames',
  points: 'system_points',
  indexColumn: '_runtime',
  x: 'runtime',
  xType: 'DOUBLE',
};

/** CREATE statements for a stream's tables (idempotent). */
export function createTablesSql(tables: StreamTables): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${tables.frames} (run_id VARCHAR NOT NULL, seq BIGINT NOT NULL, rows BIGINT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${tables.points} (run_id VARCHAR NOT NULL, ${tables.x} ${tables.xType}, ts DOUBLE, ` +
      'metric VARCHAR NOT NULL, value DOUBLE)',
  ];
}
