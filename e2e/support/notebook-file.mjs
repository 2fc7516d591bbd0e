// Writes small nbformat-4 notebooks for the tests.
import { writeFileSync } from 'node:fs';

/** Writes a notebook whose code cells are `sources` (strings) to `path`. */
export function writeNotebook(path, sources) {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      language_info: { name: 'python' },
    },
    cells: sources.map((source, index) => ({
      cell_type: 'code',
      id: `cell-${index}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    })),
  };
  writeFileSync(path, JSON.stringify(notebook, null, 1));
}
