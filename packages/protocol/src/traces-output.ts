import type { ProtocolVersion } from './messages.js';
import { PROTOCOL_MAJOR } from './version.js';

/** Data of a trace panel output (TRACES_MIME_TYPE): `sg.display_traces(project)`. */
export interface TracesOutputData {
  project: string;
  /** The store root the kernel writes; the panel reads the project there and follows its live calls. */
  store_root: string;
  protocol: ProtocolVersion;
}

/** Validates a TRACES_MIME_TYPE payload (saved notebooks are untrusted input): usable, newer, or a reason. */
export function parseTracesOutput(
  value: unknown,
):
  | { kind: 'ok'; data: TracesOutputData }
  | { kind: 'newer'; data: TracesOutputData }
  | { kind: 'invalid'; reason: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', reason: 'not an object' };
  }
  const o = value as Record<string, unknown>;
  for (const key of ['project', 'store_root']) {
    if (typeof o[key] !== 'string' || o[key] === '')
      return { kind: 'invalid', reason: `'${key}' is not a non-empty string` };
  }
  const protocol = o.protocol as { major?: unknown; minor?: unknown } | undefined;
  if (!protocol || !Number.isSafeInteger(protocol.major) || !Number.isSafeInteger(protocol.minor)) {
    return { kind: 'invalid', reason: "'protocol' is not {major, minor}" };
  }
  const data: TracesOutputData = {
    project: o.project as string,
    store_root: o.store_root as string,
    protocol: { major: protocol.major as number, minor: protocol.minor as number },
  };
  return { kind: data.protocol.major > PROTOCOL_MAJOR ? 'newer' : 'ok', data };
}
