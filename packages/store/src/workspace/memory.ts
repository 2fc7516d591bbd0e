import { QueryError } from '../errors.js';
import { type MemoryUsage, WorkspaceMemoryError } from './data.js';
import type { MetricSlot } from './slot.js';

/**
 * The workspace's data in the page (DuckDB-WASM tables and the far overviews in JS). The rest of the page (the
 * JupyterLab page itself, DuckDB-WASM's compiled engine: ~0.5 GB in headless Chromium) comes on top, so the page
 * stays under 1 GB however many metrics are opened: the least recently viewed ones are evicted.
 */
export const DEFAULT_BUDGET = 384 * 1024 * 1024;
/** DuckDB-WASM bytes per raw row (4 + 8 + 8 + 8 in columns, plus the pyramid's ~1/4 row of 100 bytes). */
const BYTES_PER_ROW = 56;
const BYTES_PER_X = 10;
/** Arrow IPC bytes per row on the wire (run, step, wall, value). */
const IPC_BYTES_PER_ROW = 28;

/** DuckDB-WASM bytes one loaded row costs (an x metric adds its column). */
export function rowBytes(xMetric: string | null): number {
  return BYTES_PER_ROW + (xMetric ? BYTES_PER_X : 0);
}

/** Bytes of a metric kept on the server: its far runs' overview (JS, `overviewBytes`) plus the rows of its local
 * runs in DuckDB-WASM. */
export function remoteSlotBytes(overviewBytes: number, localRows: number, xMetric: string | null): number {
  return overviewBytes + localRows * rowBytes(xMetric);
}

/** The most Arrow IPC bytes worth fetching for a metric: as many rows as the whole budget could hold. */
export function fetchLimitBytes(budget: number, xMetric: string | null): number {
  return Math.floor((budget / rowBytes(xMetric)) * (IPC_BYTES_PER_ROW + (xMetric ? 8 : 0)));
}

/** Loaded (ready) slots, least recently used first: the order memory reports them and evicts them in. */
function byLastUse(slots: MetricSlot[]): MetricSlot[] {
  return slots.filter((s) => s.ready).sort((a, b) => a.lastUsed - b.lastUsed);
}

export function memoryUsage(slots: MetricSlot[], budget: number): MemoryUsage {
  const loaded = byLastUse(slots);
  return {
    usedBytes: loaded.reduce((n, s) => n + s.bytes, 0),
    budgetBytes: budget,
    metrics: loaded.map((s) => s.metric),
  };
}

/** Drops least recently used metrics until `needed` more bytes fit; a metric larger than the budget fails. */
export async function makeRoom(
  slot: MetricSlot,
  needed: number,
  budget: number,
  slots: MetricSlot[],
  drop: (victim: MetricSlot) => Promise<void>,
): Promise<void> {
  if (needed > budget) throw new WorkspaceMemoryError(slot.metric, needed, budget);
  const others = byLastUse(slots).filter((s) => s !== slot);
  let used = others.reduce((n, s) => n + s.bytes, 0);
  for (const victim of others) {
    if (used + needed <= budget) break;
    used -= victim.bytes;
    await drop(victim);
  }
}

/** Runs `fn`, turning the engine's out-of-memory failure into the typed, user-facing error. */
export async function guardMemory<T>(
  metric: string,
  needed: number,
  budget: number,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const text = error instanceof QueryError ? String(error.cause) : String(error);
    if (/out of memory|memory access out of bounds|could not allocate|Cannot enlarge memory/i.test(text)) {
      throw new WorkspaceMemoryError(metric, needed, budget);
    }
    throw error;
  }
}
