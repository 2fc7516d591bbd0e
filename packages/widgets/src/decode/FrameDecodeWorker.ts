import { DamagedFrameError, IngestError } from '@spyglass/store/errors';
import {
  type FrameInput,
  type IngestPlan,
  type IngestPlanner,
  planOnThisThread,
} from '@spyglass/store/ingest-plan';
import {
  FRAME_DECODE_WORKER_NAME,
  type FrameDecodeReply,
  type FrameDecodeRequest,
} from './frame-decode-messages.js';

/** What the class needs of a Worker (a browser Worker, or an adapter over Node's worker_threads in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: FrameDecodeReply }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
  terminate(): void;
}

export interface FrameDecodeBudget {
  /** Time a decode may take: a base plus a share per MiB of payload (default 10 s + 1 s/MiB). */
  baseMs: number;
  msPerMiB: number;
  /** The largest frame decoded at all (default 512 MiB); a bigger one is damaged, not a page-sized allocation. */
  maxFrameBytes: number;
}

export interface FrameDecodeOptions {
  budget?: Partial<FrameDecodeBudget>;
  /** Starts a worker; the default bundles frame-decode-worker.ts as a chunk of its own. */
  spawn?: () => WorkerLike;
}

interface Pending {
  runId: string;
  seq: number;
  resolve(plan: IngestPlan): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

const MiB = 1024 * 1024;

function spawnBrowserWorker(): WorkerLike {
  // The literal `new Worker(new URL(...))` is what the bundler turns into a chunk served same-origin.
  return new Worker(new URL('./frame-decode-worker.js', import.meta.url), {
    type: 'module',
    name: FRAME_DECODE_WORKER_NAME,
  }) as unknown as WorkerLike;
}

/**
 * The page's frame decoder: `plan` decodes frames in a Web Worker under a time budget. A decode past its budget
 * stops the worker (its memory goes with it) and fails as DamagedFrameError, so the run shows as damaged while the
 * page stays responsive; the next decode starts a fresh worker. Memory is bounded before decoding: every payload
 * passed checkArrowStream (declared sizes within the payload) and frames above `maxFrameBytes` are refused.
 * If no worker can start (a browser policy), frames are decoded on the page's thread, still checked.
 */
export class FrameDecodeWorker {
  private worker: WorkerLike | null = null;
  private ready: Promise<boolean> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly budget: FrameDecodeBudget;
  private readonly spawn: () => WorkerLike;
  /** Workers that started and said they are ready (a stopped one is replaced on the next decode). */
  started = 0;

  constructor(options: FrameDecodeOptions = {}) {
    this.budget = { baseMs: 10_000, msPerMiB: 1000, maxFrameBytes: 512 * MiB, ...options.budget };
    this.spawn = options.spawn ?? spawnBrowserWorker;
  }

  /** The IngestPlanner to give RunDatabase. */
  readonly plan: IngestPlanner = async (runId, frames, indexColumn) => {
    const huge = frames.find((f) => f.payload.byteLength > this.budget.maxFrameBytes);
    if (huge)
      throw new DamagedFrameError(
        runId,
        huge.seq,
        `its payload of ${Math.round(huge.payload.byteLength / MiB)} MiB is above the page's decode limit`,
      );
    if (!(await this.start())) return planOnThisThread(runId, frames, indexColumn);
    return this.post(runId, frames, indexColumn);
  };

  /** Starts the worker ahead of the first frames, so they do not wait for its script to load. */
  warmUp(): void {
    void this.start();
  }

  dispose(): void {
    this.stop(null);
  }

  /** Starts the worker if none runs; false when this page cannot start one. */
  private start(): Promise<boolean> {
    if (this.ready) return this.ready;
    this.ready = new Promise<boolean>((resolve) => {
      let worker: WorkerLike;
      try {
        worker = this.spawn();
      } catch (error) {
        console.warn('Spyglass: no frame decode worker; decoding on the page', error);
        resolve(false);
        return;
      }
      this.worker = worker;
      let isReady = false;
      worker.addEventListener('message', ({ data }) => {
        if (data.type === 'ready') {
          isReady = true;
          this.started += 1;
          resolve(true);
        } else if (worker === this.worker) this.answer(data);
      });
      worker.addEventListener('error', (event) => {
        if (worker !== this.worker) return;
        if (!isReady) {
          console.warn(
            'Spyglass: the frame decode worker did not start; decoding on the page',
            event.message,
          );
          this.worker = null;
          worker.terminate();
          resolve(false);
          return;
        }
        // Out of memory or a crash inside a decode: the frames it held are the suspects.
        this.stop(`the decoder stopped while reading it (${event.message ?? 'worker error'})`);
      });
    });
    return this.ready;
  }

  private post(runId: string, frames: FrameInput[], indexColumn: string): Promise<IngestPlan> {
    const worker = this.worker as WorkerLike;
    const id = this.nextId++;
    const bytes = frames.reduce((n, f) => n + f.payload.byteLength, 0);
    const limitMs = this.budget.baseMs + (this.budget.msPerMiB * bytes) / MiB;
    return new Promise<IngestPlan>((resolve, reject) => {
      const timer = setTimeout(
        () => this.stop(`decoding took longer than ${Math.round(limitMs / 1000)} s and was stopped`),
        limitMs,
      );
      this.pending.set(id, { runId, seq: frames[0].seq, resolve, reject, timer });
      const request: FrameDecodeRequest = {
        type: 'plan',
        id,
        run_id: runId,
        index_column: indexColumn,
        frames: frames.map((f) => ({ seq: f.seq, payload: f.payload })),
      };
      worker.postMessage(request);
    });
  }

  private answer(reply: FrameDecodeReply): void {
    if (reply.type === 'ready') return;
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    clearTimeout(pending.timer);
    if (reply.type === 'planned') pending.resolve(reply.plan);
    else if (reply.damaged)
      pending.reject(new DamagedFrameError(pending.runId, reply.seq ?? pending.seq, reply.message));
    else
      pending.reject(
        new IngestError(pending.runId, reply.seq ?? pending.seq, { cause: new Error(reply.message) }),
      );
  }

  /** Terminates the worker; decodes in flight fail with `reason` as damaged frames (plain failures on dispose). */
  private stop(reason: string | null): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
    for (const { runId, seq, reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(
        reason === null
          ? new IngestError(runId, seq, { cause: new Error('the page closed its frame decoder') })
          : new DamagedFrameError(runId, seq, reason),
      );
    }
    this.pending.clear();
  }
}
