import { DECODE_BATCH_ROWS } from '@spyglass/store';
import { tableText } from './messages.js';
import {
  ownBuffer,
  PARQUET_WORKER_NAME,
  type ParquetWorkerReply,
  type ParquetWorkerRequest,
} from './parquet-worker-messages.js';

/** Longest wait for the worker to load parquet-wasm before the page decodes on its main thread instead. */
const START_TIMEOUT_MS = 20_000;

/** A decode the worker could not do (its message is parquet-wasm's), or the worker itself failed. */
export class ParquetWorkerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ParquetWorkerError';
  }
}

interface Pending {
  resolve(ipc: Uint8Array): void;
  reject(error: Error): void;
}

/**
 * The page's side of the Parquet decode worker: one worker per page, decode requests matched to answers by id,
 * buffers transferred both ways (the Parquet bytes in, the Arrow IPC stream out), never copied.
 */
export class ParquetWorker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Why the worker broke, once it has: later decodes fail at once instead of waiting for no answer. */
  private broken: string | null = null;

  private constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (event: MessageEvent<ParquetWorkerReply>) => this.answer(event.data));
    worker.addEventListener('error', (event) => this.fail(event.message || tableText.decodeWorkerFailed));
    worker.addEventListener('messageerror', () => this.fail(tableText.decodeWorkerFailed));
  }

  /**
   * Starts the worker and loads parquet-wasm in it from `wasmUrl`; rejects when the worker cannot start (the
   * browser refuses it, its script fails, or it does not answer in time).
   */
  static start(wasmUrl: string): Promise<ParquetWorker> {
    return new Promise((resolve, reject) => {
      // The literal `new Worker(new URL(...))` is what the bundler turns into a chunk of its own, loaded from
      // the extension's static directory (same origin, no CDN).
      const worker = new Worker(new URL('./parquet-worker.js', import.meta.url), {
        type: 'module',
        name: PARQUET_WORKER_NAME,
      });
      const timer = setTimeout(
        () => settle(new ParquetWorkerError(tableText.decodeWorkerSilent)),
        START_TIMEOUT_MS,
      );
      const onMessage = ({ data }: MessageEvent<ParquetWorkerReply>) => {
        if (data.type === 'ready') settle(null);
        else if (data.type === 'init_failed') settle(new ParquetWorkerError(data.message));
      };
      const onError = (event: ErrorEvent) =>
        settle(new ParquetWorkerError(event.message || tableText.decodeWorkerFailed));
      const settle = (error: Error | null) => {
        clearTimeout(timer);
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        if (!error) {
          resolve(new ParquetWorker(worker));
          return;
        }
        worker.terminate();
        reject(error);
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      worker.postMessage({ type: 'init', wasm_url: wasmUrl } satisfies ParquetWorkerRequest);
    });
  }

  /** Parquet → Arrow IPC stream in the worker; `parquet`'s buffer is transferred (unusable afterwards). */
  decode(parquet: Uint8Array, options: { limit?: number } = {}): Promise<Uint8Array> {
    if (this.broken !== null) return Promise.reject(new ParquetWorkerError(this.broken));
    const id = this.nextId++;
    const buffer = ownBuffer(parquet);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: ParquetWorkerRequest = {
        type: 'decode',
        id,
        parquet: buffer,
        batch_size: DECODE_BATCH_ROWS,
        limit: options.limit,
      };
      this.worker.postMessage(request, [buffer]);
    });
  }

  private answer(reply: ParquetWorkerReply): void {
    if (reply.type !== 'decoded' && reply.type !== 'decode_failed') return;
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.type === 'decoded') pending.resolve(new Uint8Array(reply.ipc));
    else pending.reject(new ParquetWorkerError(reply.message));
  }

  /** The worker broke outside a decode (e.g. out of memory): every decode in flight fails with the reason. */
  private fail(message: string): void {
    this.broken = message;
    for (const pending of this.pending.values()) pending.reject(new ParquetWorkerError(message));
    this.pending.clear();
  }
}
