import type { ErrorCode } from './error-codes.js';

/**
 * The whole kernel <-> frontend contract. Keys are snake_case on the wire, as Jupyter's are.
 * Mirrored in kernel-bridge/spyglass/protocol.py; golden examples live in ../fixtures/messages.
 */

export interface ProtocolVersion {
  major: number;
  minor: number;
}

/**
 * Which framed log of a run a frame belongs to (protocol 1.1): `history.sglog` (logged rows) or `system.sglog`
 * (system metrics samples). Each stream numbers its frames from 0 on its own.
 */
export type Stream = 'history' | 'system';

/** Lifecycle of a run as stored in run.json. */
export type RunState = 'running' | 'finished' | 'failed' | 'crashed';

/**
 * Protocol 1.2: why a live run's rows cannot be stored right now (disk full, read-only, directory deleted). The
 * kernel keeps them in memory and retries; run.json "degraded" holds the same object when it can be written.
 */
export interface RunDegraded {
  /** In words: 'disk full', 'read-only file system', 'directory deleted', 'permission denied', ... */
  reason: string;
  /** The file or directory whose write failed. */
  path: string;
  /** The full error message, which says what to do. */
  message: string;
  /** Seconds since the epoch when writes started failing. */
  since: number;
  /** Rows logged but not yet durable. */
  unstored_rows: number;
  /** Rows dropped because too many were waiting (docs/store-format.md). */
  dropped_rows: number;
}

/** What the frontend needs to know about a run (a subset of run.json). */
export interface RunInfo {
  run_id: string;
  project: string;
  name: string;
  /** Absolute path of the run directory in the kernel's file system. */
  run_dir: string;
  state: RunState;
  /** Seconds since the epoch. */
  created_at: number;
  config: Record<string, unknown>;
  /** Protocol 1.2: present while the run's rows cannot be stored; absent once they are. */
  degraded?: RunDegraded;
}

/** Describes one binary buffer of a `frames` message: a whole frame payload or one chunk of it. */
export interface FrameChunk {
  run_id: string;
  /** Sequence number of the frame in the run's framed log (0, 1, 2, ...). */
  seq: number;
  /** Rows in the frame's record batch. */
  rows: number;
  /** Byte length of the whole frame payload (an Arrow IPC stream). */
  total_bytes: number;
  /** Where this buffer starts inside the payload; a frame is complete when offset + buffer length == total_bytes. */
  offset: number;
  /** The stream the frame belongs to (protocol 1.1); absent means 'history'. */
  stream?: Stream;
}

/** Kernel -> frontend, as comm_open data and as the answer to a frontend `hello`. */
export interface HelloMessage {
  kind: 'hello';
  protocol: ProtocolVersion;
  /** Version of the package that sent it. */
  package_version: string;
  /** Runs this process knows (kernel side); empty from the frontend. */
  runs: RunInfo[];
}

/** Kernel -> frontend: a run was created or its metadata changed (state, name, config). */
export interface RunUpdatedMessage {
  kind: 'run_updated';
  run: RunInfo;
}

/** Kernel -> frontend: Arrow IPC payloads of framed-log frames, one per buffer (or one chunk per buffer). */
export interface FramesMessage {
  kind: 'frames';
  chunks: FrameChunk[];
  /** request_id of the `replay` this answers, or null for live data. */
  reply_to: string | null;
}

/** One frame of a `calls` message: its whole Arrow IPC payload is the matching buffer. */
export interface CallsFrame {
  total_bytes: number;
}

/**
 * Kernel -> frontend (protocol 1.3): frames of a trace session's calls.sglog as stored (call rows: a `running`
 * row for a call that outlived a flush, a row when each call ends), sent while the calls happen.
 */
export interface CallsMessage {
  kind: 'calls';
  project: string;
  session_id: string;
  /** The store root the kernel writes (the session is <store_root>/<project>/.traces/<session_id>). */
  store_root: string;
  frames: CallsFrame[];
  /** Frames too large for a message, not sent: the page reads the session from the store instead. */
  unsent_frames: number;
}

/** Frontend -> kernel: send every frame of `run_id` with seq > after_seq, read from the store. */
export interface ReplayMessage {
  kind: 'replay';
  request_id: string;
  run_id: string;
  /** -1 asks for the whole history. */
  after_seq: number;
  /** Which stream to replay (protocol 1.1); absent means 'history'. */
  stream?: Stream;
}

/** Either direction: a request failed or a message was refused. */
export interface ErrorMessage {
  kind: 'error';
  /** Machine-readable reason (error-codes.ts; fixtures/constants.json lists them). */
  code: ErrorCode;
  message: string;
  reply_to: string | null;
}

export type KernelMessage = HelloMessage | RunUpdatedMessage | FramesMessage | CallsMessage | ErrorMessage;
export type FrontendMessage = HelloMessage | ReplayMessage | ErrorMessage;
export type Message = KernelMessage | FrontendMessage;

/** Data of a run panel output (RUN_MIME_TYPE). */
export interface RunOutputData {
  run_id: string;
  project: string;
  name: string;
  run_dir: string;
  protocol: ProtocolVersion;
}
