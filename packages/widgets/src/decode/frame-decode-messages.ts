import type { IngestPlan } from '@spyglass/store/ingest-plan';

/**
 * Messages between the page and the frame decode worker (`frame-decode-worker.ts`). Payloads go in as copies (the
 * pipeline keeps its frames to retry them one by one); the plan's Arrow streams come back as transferred buffers.
 */
export type FrameDecodeRequest = {
  type: 'plan';
  id: number;
  run_id: string;
  index_column: string;
  frames: { seq: number; payload: Uint8Array }[];
};

export type FrameDecodeReply =
  | { type: 'ready' }
  | { type: 'planned'; id: number; plan: IngestPlan }
  | { type: 'plan_failed'; id: number; seq: number | null; damaged: boolean; message: string };

/** The worker's `name`, to tell it apart from DuckDB's and the Parquet decoder in devtools. */
export const FRAME_DECODE_WORKER_NAME = 'spyglass-frame-decode';
