import type { Stream } from '@spyglass/protocol';
import { StoreError } from '../errors.js';

/**
 * What the live core reads from the run store (the page's adapter is the server extension's client): a run's
 * run.json as parsed JSON, and the framed-log bytes of one stream after a seq. Failures are StoreReadErrors.
 */
export interface StoreReader {
  runMetadata(runDir: string): Promise<Record<string, unknown>>;
  history(runDir: string, afterSeq: number, stream: Stream): Promise<Uint8Array>;
}

/** A read from the store failed; `status` is the HTTP-like status (0 when the server was not reached). */
export class StoreReadError extends StoreError {
  override name = 'StoreReadError';
  constructor(
    message: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Whether the store refused the read for good (no such run, outside its root): asking again will not help. */
export function isRefusedRead(error: unknown): boolean {
  return error instanceof StoreReadError && error.status >= 400 && error.status < 500;
}
