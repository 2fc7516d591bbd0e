import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

/** A command's string argument, or undefined when it is missing, empty or not a string. */
export function stringArg(args: ReadonlyPartialJSONObject, key: string): string | undefined {
  const value = args[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
