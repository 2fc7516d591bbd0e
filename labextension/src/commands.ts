import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { RunHub } from '@spyglass/store';
import { CommandIDs } from './command-ids.js';

function requireString(args: ReadonlyPartialJSONObject, key: string, command: string): string {
  const value = args[key];
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${command} needs a non-empty string argument '${key}'`);
  }
  return value;
}

/** Registers the Spyglass commands; they have no UI entry (run them from the console or tests). */
export function registerCommands(commands: CommandRegistry, hub: RunHub): void {
  commands.addCommand(CommandIDs.query, {
    label: 'Spyglass: Run SQL on the Page Database',
    describedBy: { args: { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] } },
    execute: async (args) => (await hub.database()).query(requireString(args, 'sql', CommandIDs.query)),
  });
  commands.addCommand(CommandIDs.rowCount, {
    label: 'Spyglass: Row Count of a Run',
    describedBy: {
      args: { type: 'object', properties: { run_id: { type: 'string' } }, required: ['run_id'] },
    },
    execute: async (args) =>
      (await hub.database()).rowCount(requireString(args, 'run_id', CommandIDs.rowCount)),
  });
  commands.addCommand(CommandIDs.stats, {
    label: 'Spyglass: Page Database Statistics',
    execute: () => ({ ...hub.stats() }),
  });
}
