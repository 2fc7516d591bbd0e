import type { SqlEngine } from '../engine.js';
import type { ILiveSignal } from '../live/signal.js';
import { HISTORY_TABLES } from '../live/stream-tables.js';
import { sqlNumber, sqlString } from '../sql-literal.js';
import type { MetricSlot } from './slot.js';

/**
 * The page's run hub as the workspace's live tail sees it (RunHub implements it). The workspace's engine is a
 * connection to the hub's own database, so the rows a kernel delivers are read from the hub's tables there,
 * never fetched again from the server.
 */
export interface HubRows {
  /** A kernel delivers the run to this page live and no frame of its history is missing so far. */
  deliversLive(runId: string): boolean;
  /** Emits a run id after new history rows of that run became queryable in the hub's tables. */
  readonly historyIngested: ILiveSignal<unknown, string>;
}

// The hub's tables live in the database's default schema; a workspace connection's search path names its own.
const HUB_POINTS = `main.${HISTORY_TABLES.points}`;
const HUB_FRAMES = `main.${HISTORY_TABLES.frames}`;

/**
 * Appends the hub's rows of `runId` that the slot does not hold (steps above its last one: a run's steps only
 * grow) and merges them into the pyramid; returns how many rows were added. Afterwards the slot's framed-log cursor
 * is at least the last frame the hub had ingested before the read, so a handover to /history (the kernel went
 * away) reads on from there and the step filter drops what it repeats. Runs inside the store's serial queue.
 */
export async function appendHubRows(engine: SqlEngine, slot: MetricSlot, runId: string): Promise<number> {
  const run = sqlString(runId);
  const ledger = await engine.query(`SELECT max(seq) AS seq FROM ${HUB_FRAMES} WHERE run_id = ${run}`);
  const seq = ledger.getChild('seq')?.get(0);
  const staging = `${slot.tables.raw}_hub`;
  await engine.query(hubRowsSql(slot, runId, staging));
  const counts = await engine.query(
    `SELECT count(*)::DOUBLE AS rows, count(*) FILTER (WHERE isfinite(value))::DOUBLE AS finite, ` +
      `max(step)::DOUBLE AS max_step FROM ${staging}`,
  );
  const rows = Number(counts.getChild('rows')?.get(0) ?? 0);
  if (rows > 0) {
    const finite = Number(counts.getChild('finite')?.get(0) ?? 0);
    const maxStep = Number(counts.getChild('max_step')?.get(0));
    await slot.appendStaged(engine, slot.indexOf(runId), staging, { rows, finite, maxStep });
  } else {
    await engine.query(`DROP TABLE ${staging}`);
  }
  if (seq !== null && seq !== undefined) {
    slot.cursors.set(runId, Math.max(slot.cursors.get(runId) ?? -1, Number(seq)));
  }
  return rows;
}

/** The run's rows of the slot's metric (and x metric) in the hub's `points`, after the slot's last step. */
function hubRowsSql(slot: MetricSlot, runId: string, staging: string): string {
  const after = slot.maxStepOf(runId);
  const x = slot.xMetric
    ? `, coalesce(x.value, 'NaN'::DOUBLE) AS x FROM ${HUB_POINTS} m LEFT JOIN ${HUB_POINTS} x ` +
      `ON x.run_id = m.run_id AND x.step = m.step AND x.metric = ${sqlString(slot.xMetric)}`
    : ` FROM ${HUB_POINTS} m`;
  const since = Number.isFinite(after) ? ` AND m.step > ${sqlNumber(after)}` : '';
  return (
    `CREATE OR REPLACE TABLE ${staging} AS SELECT ${sqlNumber(slot.indexOf(runId))}::INTEGER AS run, m.step, ` +
    `coalesce(m.ts, 'NaN'::DOUBLE) AS wall, m.value${x} ` +
    `WHERE m.run_id = ${sqlString(runId)} AND m.metric = ${sqlString(slot.metric)}${since} ORDER BY m.step`
  );
}
