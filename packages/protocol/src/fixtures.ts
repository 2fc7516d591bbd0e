import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Node-only (exported as '@spyglass/protocol/fixtures', never from the index) so browser bundles stay fs-free.

/** Absolute path of the golden fixtures directory shared with the Python tests. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** A golden comm message: what the kernel sends, with its binary buffers decoded from base64. */
export interface MessageFixture {
  name: string;
  description: string;
  data: unknown;
  buffers: Uint8Array[];
}

/** Absolute path of a file under the fixtures directory. */
export function fixturePath(...parts: string[]): string {
  return join(FIXTURES_DIR, ...parts);
}

/** Every `fixtures/messages/*.json`, sorted by name; an empty list if the directory is missing. */
export function loadMessageFixtures(): MessageFixture[] {
  const dir = fixturePath('messages');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.sort().map((file) => {
    const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      description: string;
      data: unknown;
      buffers?: string[];
    };
    return {
      name: file.slice(0, -'.json'.length),
      description: raw.description,
      data: raw.data,
      buffers: (raw.buffers ?? []).map((b) => new Uint8Array(Buffer.from(b, 'base64'))),
    };
  });
}

/** A golden shape (fixtures/run-json, bundles, server; written by kernel-bridge/tests/shape_fixtures.py). */
export interface ShapeFixture {
  description: string;
  data: unknown;
}

/** One shape fixture by its name under fixtures/, e.g. 'server/runs'. */
export function loadShapeFixture(name: string): ShapeFixture {
  return JSON.parse(readFileSync(fixturePath(`${name}.json`), 'utf8')) as ShapeFixture;
}
