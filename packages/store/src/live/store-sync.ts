import { parseRunMetadata, type StoredRunState, type Stream } from '@spyglass/protocol';
import { readFramedLog } from '../framed-log.js';
import type { StoreReadKind } from './CatchUpCoordinator.js';
import type { RunHub } from './RunHub.js';
import { StoreReadError, type StoreReader } from './store-reader.js';

/** What one read of a run from the store found. */
export interface StoreReadResult {
  /** The state in run.json, null when it has none we know. */
  state: StoredRunState | null;
  /** History frames read after the page's last seq; null when the history was not read (another catch-up runs). */
  frames: number | null;
}

/**
 * Reads a run's metadata and every stored frame of both streams after the page's last seqs, and feeds them to the
 * hub. run.json is read first: the writer stores the last frame before it marks the run finished, so a read after
 * a terminal state holds everything. A stream is skipped when the hub's coordinator says another catch-up has
 * the turn; a failed history read makes the hub fall back to a replay where a kernel holds the run.
 */
export async function readRunFromStore(
  hub: RunHub,
  client: StoreReader,
  runId: string,
  runDir: string,
  kind: StoreReadKind,
): Promise<StoreReadResult> {
  const withHistory = hub.beginStoreRead(runId, kind, 'history');
  let meta: ReturnType<typeof parseRunMetadata>;
  let frames: number | null = null;
  try {
    meta = parseRunMetadata(await client.runMetadata(runDir), runId);
    if (withHistory) frames = await readStream(hub, client, runId, runDir, 'history');
    if (withHistory) hub.endStoreRead(runId, true, 'history');
  } catch (error) {
    if (withHistory) hub.endStoreRead(runId, false, 'history');
    throw error;
  }
  await readSystemStream(hub, client, runId, runDir, kind);
  // Shown once the frames are queryable, so a header saying 'finished' never precedes the rows logged before it.
  await hub.settled();
  hub.updateMetadata(meta);
  return { state: meta.state, frames };
}

/** Reads run.json alone (a kernel delivers the frames live) and applies it; returns its state. */
export async function readRunMetadata(
  hub: RunHub,
  client: StoreReader,
  runId: string,
  runDir: string,
): Promise<StoredRunState | null> {
  const meta = parseRunMetadata(await client.runMetadata(runDir), runId);
  hub.updateMetadata(meta);
  return meta.state;
}

/**
 * The system metrics are secondary: a run without them, or a server that cannot serve them, leaves the panel
 * without a system section rather than failing the read.
 */
async function readSystemStream(
  hub: RunHub,
  client: StoreReader,
  runId: string,
  runDir: string,
  kind: StoreReadKind,
): Promise<void> {
  if (!hub.beginStoreRead(runId, kind, 'system')) return;
  let ok = true;
  try {
    await readStream(hub, client, runId, runDir, 'system');
  } catch (error) {
    ok = false;
    if (!(error instanceof StoreReadError && error.status === 404)) {
      console.warn('Spyglass: reading the system metrics from the store failed', error);
    }
  } finally {
    hub.endStoreRead(runId, ok, 'system');
  }
}

async function readStream(
  hub: RunHub,
  client: StoreReader,
  runId: string,
  runDir: string,
  stream: Stream,
): Promise<number> {
  const bytes = await client.history(runDir, hub.lastSeq(runId, stream), stream);
  // A torn tail is a frame still being appended: the valid prefix is used, the rest comes with the next read.
  const log = readFramedLog(bytes, { anyFirstSeq: true, source: runDir });
  hub.offerStoredFrames(runId, log.frames, stream);
  return log.frames.length;
}
