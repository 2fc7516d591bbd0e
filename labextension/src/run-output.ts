import { PROTOCOL_MAJOR, type RunOutputData } from '@spyglass/protocol';

/** Result of reading a cell output's run data: usable, from a newer protocol, or malformed. */
export type ParsedRunOutput =
  | { kind: 'ok'; data: RunOutputData }
  | { kind: 'newer'; data: RunOutputData }
  | { kind: 'invalid'; reason: string };

/** Validates the RUN_MIME_TYPE payload of a cell output (saved notebooks are untrusted input). */
export function parseRunOutput(value: unknown): ParsedRunOutput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', reason: 'not an object' };
  }
  const o = value as Record<string, unknown>;
  for (const key of ['run_id', 'project', 'name', 'run_dir']) {
    if (typeof o[key] !== 'string') return { kind: 'invalid', reason: `'${key}' is not a string` };
  }
  if (o.run_id === '') return { kind: 'invalid', reason: "'run_id' is empty" };
  const protocol = o.protocol as { major?: unknown; minor?: unknown } | undefined;
  if (!protocol || !Number.isSafeInteger(protocol.major) || !Number.isSafeInteger(protocol.minor)) {
    return { kind: 'invalid', reason: "'protocol' is not {major, minor}" };
  }
  const data: RunOutputData = {
    run_id: o.run_id as string,
    project: o.project as string,
    name: o.name as string,
    run_dir: o.run_dir as string,
    protocol: { major: protocol.major as number, minor: protocol.minor as number },
  };
  return { kind: data.protocol.major > PROTOCOL_MAJOR ? 'newer' : 'ok', data };
}
