import type { RunInfo, Stream } from '@spyglass/protocol';
import { RunHub } from '../../src/live/RunHub.js';
import type { RunChange, RunDataSource } from '../../src/live/run-source.js';
import type { StoreReader } from '../../src/live/store-reader.js';
import { createNodeEngine } from '../../src/node-engine.js';
import { framedLog } from './framed-log-writer.js';
import { historyIPC } from './history-batch.js';

/** Rows per frame in these tests: frame `seq` holds steps seq*ROWS ... seq*ROWS+ROWS-1. */
export const ROWS = 4;

/** The payload of history frame `seq` (metric `loss`). */
export function frameOf(seq: number): Uint8Array {
  const steps = Array.from({ length: ROWS }, (_, i) => seq * ROWS + i);
  return historyIPC(steps, { loss: steps.map((s) => 1 / (s + 1)) });
}

/** A hub over the DuckDB-WASM Node bundle with short catch-up timings; frames decode on this thread. */
export function testHub(): RunHub {
  return new RunHub({ startEngine: () => createNodeEngine(), catchUp: { parkMs: 150, replayRetryMs: 2000 } });
}

export function runInfo(runId: string, state: RunInfo['state'] = 'running'): RunInfo {
  return {
    run_id: runId,
    project: 'p',
    name: `name-${runId}`,
    run_dir: `/store/p/${runId}`,
    state,
    created_at: 1,
    config: {},
  };
}

/**
 * A kernel's comm as the page's KernelChannel drives the hub: it holds each run's frames, delivers them live
 * (whole frames, as comm buffers), and answers the replays the hub orders, at once or when asked.
 */
export class FakeKernel {
  readonly replays: { runId: string; afterSeq: number; stream: Stream }[] = [];
  private readonly logs = new Map<string, Uint8Array[]>();
  /** When false, replays wait for answerReplays() (a kernel busy in a cell answers when the cell ends). */
  answerAtOnce = true;
  private pending: { runId: string; afterSeq: number }[] = [];

  constructor(private readonly hub: RunHub) {}

  /** The kernel logs frames 0..count-1 of a run (or more, continuing its sequence); none reach the page yet. */
  write(runId: string, count: number): void {
    const log = this.logs.get(runId) ?? [];
    for (let i = 0; i < count; i++) log.push(frameOf(log.length));
    this.logs.set(runId, log);
  }

  /** The kernel says hello on a (re)attached comm, naming its runs. */
  hello(...runIds: string[]): void {
    for (const runId of runIds) {
      this.hub.updateKernelRun(runInfo(runId));
      this.hub.requestReplay(runId, this, 'announced', 'history');
    }
  }

  /** Delivers frames of a run live, as a `frames` message. */
  deliver(runId: string, ...seqs: number[]): void {
    for (const seq of seqs) this.offer(runId, seq);
  }

  /** The comm is gone (kernel restart or death). */
  drop(): void {
    this.hub.dropChannel(this);
  }

  sendReplay(runId: string, afterSeq: number, stream: Stream): void {
    this.replays.push({ runId, afterSeq, stream });
    if (stream !== 'history') return;
    this.pending.push({ runId, afterSeq });
    if (this.answerAtOnce) this.answerReplays();
  }

  /** Answers every replay asked so far: the frames after its seq, then the end of the answer. */
  answerReplays(): void {
    const pending = this.pending;
    this.pending = [];
    for (const { runId, afterSeq } of pending) {
      const log = this.logs.get(runId) ?? [];
      for (let seq = afterSeq + 1; seq < log.length; seq++) this.offer(runId, seq);
      this.hub.replayAnswered(runId, 'history');
    }
  }

  private offer(runId: string, seq: number): void {
    const payload = this.logs.get(runId)?.[seq];
    if (!payload) throw new Error(`the fake kernel has no frame ${seq} of ${runId}`);
    const chunk = { run_id: runId, seq, rows: ROWS, total_bytes: payload.length, offset: 0 };
    this.hub.offerChunk(chunk, payload, this);
  }
}

/** The run store as the server serves it: run.json and the framed log of each run; counts the reads. */
export class FakeStore implements StoreReader {
  readonly historyReads: { runDir: string; afterSeq: number }[] = [];
  metadataReads = 0;
  private readonly runs = new Map<string, { json: Record<string, unknown>; frames: Uint8Array[] }>();

  /** Writes a run's run.json and appends frames to its history log (frame seqs continue the log). */
  write(runId: string, state: string, frames = 0): void {
    const run = this.runs.get(runId) ?? { json: {}, frames: [] };
    run.json = { run_id: runId, name: `name-${runId}`, project: 'p', state };
    for (let i = 0; i < frames; i++) run.frames.push(frameOf(run.frames.length));
    this.runs.set(runId, run);
  }

  async runMetadata(runDir: string): Promise<Record<string, unknown>> {
    this.metadataReads += 1;
    return { ...this.run(runDir).json };
  }

  async history(runDir: string, afterSeq: number, stream: Stream): Promise<Uint8Array> {
    if (stream === 'history') this.historyReads.push({ runDir, afterSeq });
    const frames = stream === 'history' ? this.run(runDir).frames : [];
    return framedLog(frames.slice(afterSeq + 1), afterSeq + 1);
  }

  private run(runDir: string) {
    const run = this.runs.get(runDir.split('/').pop() ?? '');
    if (!run) throw new Error(`no run at ${runDir}`);
    return run;
  }
}

/** Every change a run's entry signals, in order. */
export function recordChanges(source: RunDataSource): RunChange[] {
  const changes: RunChange[] = [];
  source.changed.connect((_, change) => changes.push(change));
  return changes;
}

/** Waits until `check` holds (polling every 10 ms), failing after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The history steps the hub's database holds for a run, in order, duplicates included. */
export async function storedSteps(hub: RunHub, runId: string): Promise<number[]> {
  const db = await hub.database();
  const rows = await db.query(
    `SELECT step FROM points WHERE run_id = '${runId}' AND metric = 'loss' ORDER BY step`,
  );
  return rows.map((r) => Number(r.step));
}

/** Steps 0 .. frames*ROWS-1: what a run of `frames` frames holds once each is ingested exactly once. */
export function stepsOf(frames: number): number[] {
  return Array.from({ length: frames * ROWS }, (_, i) => i);
}
