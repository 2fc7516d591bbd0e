import type { FrameChunk } from '@spyglass/protocol';
import { FrameAssemblyError } from '../errors.js';

/** A whole frame payload, reassembled from one or more comm buffers. */
export interface AssembledFrame {
  runId: string;
  seq: number;
  rows: number;
  payload: Uint8Array;
}

interface Pending {
  totalBytes: number;
  rows: number;
  payload: Uint8Array;
  /** Received [start, end) byte ranges, sorted and merged; live and replay may chunk the same frame differently. */
  ranges: [number, number][];
  received: number;
}

export interface FrameAssemblerOptions {
  /** Upper bound on bytes held for incomplete frames; the oldest are dropped past it (a replay refetches them). */
  maxPendingBytes?: number;
}

const key = (runId: string, seq: number) => `${seq}\u0000${runId}`;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Adds [start, end) to sorted disjoint ranges, merging any it touches. */
function mergeRange(ranges: [number, number][], start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let [lo, hi] = [start, end];
  for (const [a, b] of ranges) {
    if (b < lo || a > hi) out.push([a, b]);
    else [lo, hi] = [Math.min(a, lo), Math.max(b, hi)];
  }
  out.push([lo, hi]);
  return out.sort((x, y) => x[0] - y[0]);
}

/**
 * Reassembles frame payloads that the kernel split into chunks to stay under the comm message limit.
 * Chunks of a frame may arrive in any order, more than once and cut differently (live and replay); chunks that
 * disagree on size, row count or bytes are an error.
 */
export class FrameAssembler {
  private readonly pending = new Map<string, Pending>();
  private pendingBytes = 0;
  private readonly maxPendingBytes: number;

  constructor(options: FrameAssemblerOptions = {}) {
    this.maxPendingBytes = options.maxPendingBytes ?? 256 * 1024 * 1024;
  }

  /** Bytes currently held for incomplete frames. */
  get heldBytes(): number {
    return this.pendingBytes;
  }

  /** Adds one buffer; returns the frame once its last byte has arrived, otherwise null. */
  add(chunk: FrameChunk, buffer: Uint8Array): AssembledFrame | null {
    const { run_id: runId, seq, rows, total_bytes: totalBytes, offset } = chunk;
    const fail = (message: string): never => {
      this.drop(runId, seq);
      throw new FrameAssemblyError(message, runId, seq);
    };
    if (offset < 0 || offset + buffer.byteLength > totalBytes) {
      fail(`chunk [${offset}, ${offset + buffer.byteLength}) lies outside the ${totalBytes}-byte payload`);
    }
    // The common case: a frame that fits one message needs no copy.
    if (offset === 0 && buffer.byteLength === totalBytes && !this.pending.has(key(runId, seq))) {
      return { runId, seq, rows, payload: buffer };
    }
    if (totalBytes > this.maxPendingBytes) {
      fail(`its ${totalBytes} bytes exceed the ${this.maxPendingBytes}-byte reassembly limit`);
    }
    const entry = this.entryFor(runId, seq, totalBytes, rows, fail);
    const end = offset + buffer.byteLength;
    for (const [start, stop] of entry.ranges) {
      const from = Math.max(start, offset);
      const to = Math.min(stop, end);
      if (
        from < to &&
        !sameBytes(entry.payload.subarray(from, to), buffer.subarray(from - offset, to - offset))
      ) {
        fail(`two chunks disagree on the bytes at [${from}, ${to})`);
      }
    }
    entry.payload.set(buffer, offset);
    entry.ranges = mergeRange(entry.ranges, offset, end);
    entry.received = entry.ranges.reduce((n, [start, stop]) => n + stop - start, 0);
    if (entry.received < totalBytes) return null;
    this.drop(runId, seq);
    return { runId, seq, rows, payload: entry.payload };
  }

  /** Forgets every incomplete frame of a run (kernel restart, run closed). */
  discardRun(runId: string): void {
    for (const [k, entry] of this.pending) {
      if (k.slice(k.indexOf('\u0000') + 1) === runId) {
        this.pending.delete(k);
        this.pendingBytes -= entry.totalBytes;
      }
    }
  }

  private entryFor(
    runId: string,
    seq: number,
    totalBytes: number,
    rows: number,
    fail: (message: string) => never,
  ): Pending {
    const existing = this.pending.get(key(runId, seq));
    if (existing) {
      if (existing.totalBytes !== totalBytes)
        fail(`chunks disagree on size (${existing.totalBytes} vs ${totalBytes})`);
      if (existing.rows !== rows) fail(`chunks disagree on row count (${existing.rows} vs ${rows})`);
      return existing;
    }
    this.evictUntilFits(totalBytes);
    const entry: Pending = {
      totalBytes,
      rows,
      payload: new Uint8Array(totalBytes),
      ranges: [],
      received: 0,
    };
    this.pending.set(key(runId, seq), entry);
    this.pendingBytes += totalBytes;
    return entry;
  }

  private evictUntilFits(bytes: number): void {
    // Map iteration order is insertion order, so the first entries are the oldest.
    for (const [k, entry] of this.pending) {
      if (this.pendingBytes + bytes <= this.maxPendingBytes) return;
      this.pending.delete(k);
      this.pendingBytes -= entry.totalBytes;
    }
  }

  private drop(runId: string, seq: number): void {
    const entry = this.pending.get(key(runId, seq));
    if (!entry) return;
    this.pending.delete(key(runId, seq));
    this.pendingBytes -= entry.totalBytes;
  }
}
