import type { RunInfo } from '@spyglass/protocol';
import { readFramedLog } from '@spyglass/store';
import { describeError, messages } from '@spyglass/widgets';
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

/**
 * Fills the hub with a run's history from the store when the page has none of it (page reload, notebook opened
 * without a kernel, a run logged headless). Frames go through the hub's sequence tracker, so frames that also
 * arrive over a live comm are not ingested twice.
 */
export async function loadRunFromStore(
  hub: RunHub,
  client: StoreClient,
  runId: string,
  runDir: string,
): Promise<void> {
  const entry = hub.run(runId);
  if (entry.historyRequested || hub.lastSeq(runId) >= 0) return;
  entry.historyRequested = true;
  try {
    const afterSeq = hub.lastSeq(runId);
    const [meta, bytes] = await Promise.all([client.runMetadata(runDir), client.history(runDir, afterSeq)]);
    hub.updateRun(runInfoFromMetadata(runId, meta));
    const log = readFramedLog(bytes, { anyFirstSeq: true, source: runDir });
    for (const frame of log.frames) hub.offerFrame(runId, frame.seq, frame.payload);
    hub.markLoaded(runId);
  } catch (error) {
    if (hub.lastSeq(runId) >= 0) {
      // The live comm delivered the data meanwhile; the store copy was only a fallback.
      console.warn('Spyglass: reading the run from the store failed, using the live data', error);
      return;
    }
    console.error('Spyglass: cannot read the run from the store', error);
    entry.setProblem({ kind: 'failed', message: messages.loadFailed(describeError(error)) });
  }
}
