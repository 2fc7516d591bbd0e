import type { RunInfo, RunState } from '@spyglass/protocol';
import { readFramedLog, type StoreReadKind } from '@spyglass/store';
import type { RunHub } from './RunHub.js';
import type { StoreClient } from './StoreClient.js';

const STATES = new Set(['running', 'finished', 'failed', 'crashed']);

/** The RunInfo fields found in a run.json, ignoring anything missing or mistyped. */
export function runInfoFromMetadata(
  runId: string,
  meta: Record<string, unknown>,
): Partial<RunInfo> & { run_id: string } {
  const text = (key: string) => (typeof meta[key] === 'string' ? (meta[key] as string) : undefined);
  const state = text('state');
  return {
    run_id: runId,
    name: text('name'),
    project: text('project'),
    state: state && STATES.has(state) ? (state as RunInfo['state']) : undefined,
  };
}

/** What one read of a run from the store found. */
export interface StoreReadResult {
  /** The state in run.json, null when it has none we know. */
  state: RunState | null;
  /** Frames read after the page's last seq; null when the history was not read (another catch-up is running). */
  frames: number | null;
}

/**
 * Reads a run's metadata and every stored frame after the page's last seq, and feeds them to the hub. run.json is
 * read first: the writer stores the last frame before it marks the run finished, so a history read after a
 * terminal state holds everything. The history is skipped when the hub's coordinator says another catch-up has
 * the turn; a failed read makes the hub fall back to a replay where a kernel holds the run.
 */
export async function readRunFromStore(
  hub: RunHub,
  client: StoreClient,
  runId: string,
  runDir: string,
  kind: StoreReadKind,
): Promise<StoreReadResult> {
  const withHistory = hub.beginStoreRead(runId, kind);
  try {
    const info = runInfoFromMetadata(runId, await client.runMetadata(runDir));
    let frames: number | null = null;
    if (withHistory) {
      const bytes = await client.history(runDir, hub.lastSeq(runId));
      // A torn tail is a frame still being appended: the valid prefix is used, the rest comes with the next read.
      const log = readFramedLog(bytes, { anyFirstSeq: true, source: runDir });
      frames = log.frames.length;
      hub.offerStoredFrames(runId, log.frames);
    }
    if (withHistory) hub.endStoreRead(runId, true);
    // Shown after the frames, so a header saying 'finished' never precedes the rows that came before it.
    hub.updateRun(info);
    return { state: info.state ?? null, frames };
  } catch (error) {
    if (withHistory) hub.endStoreRead(runId, false);
    throw error;
  }
}
