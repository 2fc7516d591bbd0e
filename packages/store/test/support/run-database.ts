import { after, before } from 'node:test';
import type { SqlEngine } from '../../src/engine.js';
import { RunDatabase } from '../../src/live/RunDatabase.js';
import { createNodeEngine } from '../../src/node-engine.js';

/** What useRunDatabase gives the tests: `db` is set once the scope's `before` hook has run. */
export interface RunDatabaseFixture {
  readonly db: RunDatabase;
}

/**
 * A RunDatabase on the DuckDB-WASM Node bundle for the tests of the enclosing scope (file or describe): opened
 * and initialised before them, its engine closed after them.
 */
export function useRunDatabase(): RunDatabaseFixture {
  let engine: SqlEngine | undefined;
  const fixture = {} as { db: RunDatabase };
  before(async () => {
    engine = await createNodeEngine();
    fixture.db = new RunDatabase(engine);
    await fixture.db.init();
  });
  after(() => engine?.close());
  return fixture;
}
