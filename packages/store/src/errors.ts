/** Base class of every error the store package throws. */
export class StoreError extends Error {
  override name = 'StoreError';
}

/** Mid-file corruption in a framed log: the bytes before `offset` are still a valid prefix. */
export class CorruptLogError extends StoreError {
  override name = 'CorruptLogError';
  constructor(
    readonly offset: number,
    readonly reason: string,
    readonly source?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Spyglass history log ${source ? `${source} ` : ''}is corrupt at byte ${offset}: ${reason}. ` +
        'Frames before this offset are intact; restore the file from a copy or read the valid prefix.',
      options,
    );
  }
}

/** A framed log written by a newer Spyglass: refuse rather than guess at the layout. */
export class UnsupportedLogVersionError extends StoreError {
  override name = 'UnsupportedLogVersionError';
  constructor(readonly version: number) {
    super(`Spyglass history log format version ${version} is newer than this reader (1); upgrade Spyglass.`);
  }
}

/** Chunks of one frame that do not fit together (sizes, offsets or row counts disagree). */
export class FrameAssemblyError extends StoreError {
  override name = 'FrameAssemblyError';
  constructor(
    message: string,
    readonly runId: string,
    readonly seq: number,
  ) {
    super(`Cannot reassemble frame ${seq} of run ${runId}: ${message}`);
  }
}

/** A SQL statement failed inside the engine; keeps the SQL for diagnosis. */
export class QueryError extends StoreError {
  override name = 'QueryError';
  constructor(
    readonly sql: string,
    options?: { cause?: unknown },
  ) {
    const detail = options?.cause instanceof Error ? options.cause.message : String(options?.cause);
    super(`Query failed: ${detail}\n  SQL: ${sql.length > 500 ? `${sql.slice(0, 500)}…` : sql}`, options);
  }
}

/** A frame payload could not be ingested (not an Arrow IPC stream, or the engine refused it). */
export class IngestError extends StoreError {
  override name = 'IngestError';
  constructor(
    readonly runId: string,
    readonly seq: number,
    options?: { cause?: unknown },
  ) {
    const detail = options?.cause instanceof Error ? options.cause.message : String(options?.cause);
    super(`Cannot ingest frame ${seq} of run ${runId}: ${detail}`, options);
  }
}

/**
 * An Arrow IPC payload whose structure does not hold together (lengths, offsets or counts that point outside the
 * payload, or a layout Spyglass never writes): refused before apache-arrow decodes it, since its decoder trusts
 * these numbers and a hostile one makes it loop or allocate gigabytes.
 */
export class InvalidArrowStreamError extends StoreError {
  override name = 'InvalidArrowStreamError';
  constructor(
    readonly offset: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`the Arrow IPC payload is malformed (message at byte ${offset}): ${reason}`, options);
  }
}

/**
 * A frame whose payload cannot be read as a history batch (a malformed or hostile Arrow stream, a decode that ran
 * past its time budget, a batch without its index column). Only this frame is lost: the frames around it are still
 * read, and the run is shown as damaged with this reason.
 */
export class DamagedFrameError extends IngestError {
  override name = 'DamagedFrameError';
  constructor(
    runId: string,
    seq: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(runId, seq, { cause: options?.cause ?? new Error(reason) });
  }
}

/** The message of an unknown thrown value, for display. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
