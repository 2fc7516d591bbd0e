import constants from '../fixtures/constants.json' with { type: 'json' };

/**
 * Machine-readable reason of an `error` message, in either direction. fixtures/constants.json `errorCodes` lists
 * them with their meaning; the Python side (its `ErrorCode`) and a test here are both checked against that list.
 */
export type ErrorCode = 'bad_message' | 'internal' | 'protocol_major' | 'unknown_run';

/** Every error code, from constants.json. */
export const ERROR_CODES: readonly ErrorCode[] = Object.keys(constants.errorCodes) as ErrorCode[];

/** Whether `value` is one of the protocol's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
