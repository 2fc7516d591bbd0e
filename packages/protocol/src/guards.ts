import { ERROR_CODES, type ErrorCode, isErrorCode } from './error-codes.js';
import { ProtocolError, ProtocolVersionError } from './errors.js';
import type {
  CallsMessage,
  ErrorMessage,
  FrameChunk,
  FramesMessage,
  HelloMessage,
  Message,
  ProtocolVersion,
  ReplayMessage,
  RunDegraded,
  RunInfo,
  RunUpdatedMessage,
  Stream,
} from './messages.js';
import { parseRunDegraded } from './run-metadata.js';
import { PROTOCOL_MAJOR, PROTOCOL_MINOR } from './version.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function need<T>(ok: boolean, value: T, field: string, what: string): T {
  if (!ok) throw new ProtocolError(`Field '${field}' must be ${what}, got ${JSON.stringify(value)}`, field);
  return value;
}

const str = (o: Json, f: string) => need(typeof o[f] === 'string', o[f], f, 'a string') as string;
const int = (o: Json, f: string) => need(Number.isSafeInteger(o[f]), o[f], f, 'an integer') as number;
const num = (o: Json, f: string) => need(typeof o[f] === 'number', o[f], f, 'a number') as number;
const strOrNull = (o: Json, f: string) =>
  need(o[f] === null || typeof o[f] === 'string', o[f], f, 'a string or null') as string | null;

const errorCode = (o: Json) =>
  need(isErrorCode(o.code), o.code, 'code', `one of ${ERROR_CODES.join(', ')}`) as ErrorCode;

function version(o: Json): ProtocolVersion {
  const v = o.protocol;
  if (!isObject(v)) throw new ProtocolError("Field 'protocol' must be an object {major, minor}", 'protocol');
  return { major: int(v, 'major'), minor: int(v, 'minor') };
}

const RUN_STATES = new Set(['running', 'finished', 'failed', 'crashed']);
const STREAMS = new Set<unknown>(['history', 'system']);

/** The optional `stream` field (protocol 1.1), copied only when present so 1.0 messages decode unchanged. */
function withStream<T extends object>(target: T, o: Json): T & { stream?: Stream } {
  if (!('stream' in o)) return target;
  const stream = need(STREAMS.has(o.stream), o.stream, 'stream', "'history' or 'system'") as Stream;
  return { ...target, stream };
}

/** Validates a RunInfo object (as found in `hello.runs` and `run_updated.run`). */
export function parseRunInfo(value: unknown): RunInfo {
  if (!isObject(value)) throw new ProtocolError('A run must be an object', 'run');
  const state = str(value, 'state');
  need(RUN_STATES.has(state), state, 'state', `one of ${[...RUN_STATES].join(', ')}`);
  need(isObject(value.config), value.config, 'config', 'an object');
  const info = {
    run_id: str(value, 'run_id'),
    project: str(value, 'project'),
    name: str(value, 'name'),
    run_dir: str(value, 'run_dir'),
    state: state as RunInfo['state'],
    created_at: num(value, 'created_at'),
    config: value.config as Json,
  };
  // Protocol 1.2: copied only when present, so older messages decode unchanged; absent means healthy.
  if (value.degraded === undefined || value.degraded === null) return info;
  const degraded = parseRunDegraded(value.degraded);
  need(degraded !== null, value.degraded, 'degraded', 'an object {reason, path, ...}');
  return { ...info, degraded: degraded as RunDegraded };
}

function parseChunk(value: unknown): FrameChunk {
  if (!isObject(value)) throw new ProtocolError('A frame chunk must be an object', 'chunks');
  const chunk: FrameChunk = {
    run_id: str(value, 'run_id'),
    seq: int(value, 'seq'),
    rows: int(value, 'rows'),
    total_bytes: int(value, 'total_bytes'),
    offset: int(value, 'offset'),
  };
  return withStream(chunk, value);
}

/**
 * Validates a decoded comm message. Throws ProtocolVersionError for a newer major
 * (so the caller can refuse politely) and ProtocolError for anything malformed.
 */
export function parseMessage(value: unknown, bufferCount = 0): Message {
  if (!isObject(value)) throw new ProtocolError('A message must be a JSON object', 'kind');
  const kind = value.kind;
  switch (kind) {
    case 'hello': {
      const protocol = version(value);
      if (protocol.major > PROTOCOL_MAJOR) {
        throw new ProtocolVersionError(protocol, { major: PROTOCOL_MAJOR, minor: PROTOCOL_MINOR });
      }
      const runs = need(Array.isArray(value.runs), value.runs, 'runs', 'an array') as unknown[];
      return {
        kind,
        protocol,
        package_version: str(value, 'package_version'),
        runs: runs.map(parseRunInfo),
      } satisfies HelloMessage;
    }
    case 'run_updated':
      return { kind, run: parseRunInfo(value.run) } satisfies RunUpdatedMessage;
    case 'frames': {
      const chunks = need(Array.isArray(value.chunks), value.chunks, 'chunks', 'an array') as unknown[];
      if (chunks.length !== bufferCount) {
        throw new ProtocolError(
          `A frames message names ${chunks.length} chunks but carries ${bufferCount} buffers`,
          'chunks',
        );
      }
      return {
        kind,
        chunks: chunks.map(parseChunk),
        reply_to: strOrNull(value, 'reply_to'),
      } satisfies FramesMessage;
    }
    case 'calls': {
      const frames = need(Array.isArray(value.frames), value.frames, 'frames', 'an array') as unknown[];
      if (frames.length !== bufferCount) {
        throw new ProtocolError(
          `A calls message names ${frames.length} frames but carries ${bufferCount} buffers`,
          'frames',
        );
      }
      return {
        kind,
        project: str(value, 'project'),
        session_id: str(value, 'session_id'),
        store_root: str(value, 'store_root'),
        frames: frames.map((frame) => {
          if (!isObject(frame)) throw new ProtocolError('A calls frame must be an object', 'frames');
          return { total_bytes: int(frame, 'total_bytes') };
        }),
        unsent_frames: int(value, 'unsent_frames'),
      } satisfies CallsMessage;
    }
    case 'replay': {
      const replay: ReplayMessage = {
        kind,
        request_id: str(value, 'request_id'),
        run_id: str(value, 'run_id'),
        after_seq: int(value, 'after_seq'),
      };
      return withStream(replay, value);
    }
    case 'error': {
      const message = str(value, 'message');
      const reply_to = strOrNull(value, 'reply_to');
      return { kind, code: errorCode(value), message, reply_to } satisfies ErrorMessage;
    }
    default:
      throw new ProtocolError(`Unknown message kind ${JSON.stringify(kind)}`, 'kind');
  }
}
