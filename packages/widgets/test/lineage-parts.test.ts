import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractNeighbourhood, LineageIndex, layoutLineage } from '@spyglass/lineage';
import type { LineageGraph } from '@spyglass/protocol';
import { formatBytes } from '../src/lineage/format-bytes.js';
import { nodeToward } from '../src/lineage/node-navigation.js';

const node = (id: string, kind: 'run' | 'artifact', t: number) => ({
  id,
  kind,
  label: id,
  project: 'p',
  run: kind === 'run' ? { run_id: id, name: id, state: 'finished', job_type: 'train', created_at: t } : null,
  artifact:
    kind === 'artifact'
      ? {
          name: id,
          type: 'model',
          version: 'v0',
          aliases: [],
          digest: '',
          size: 0,
          file_count: 0,
          created_at: t,
          registry_links: [],
        }
      : null,
});

// d → r1 → m1, d → r2 → m2
const graph: LineageGraph = {
  nodes: [
    node('d', 'artifact', 0),
    node('r1', 'run', 1),
    node('r2', 'run', 2),
    node('m1', 'artifact', 3),
    node('m2', 'artifact', 4),
  ],
  edges: [
    { source: 'd', target: 'r1', kind: 'consumed' },
    { source: 'd', target: 'r2', kind: 'consumed' },
    { source: 'r1', target: 'm1', kind: 'produced' },
    { source: 'r2', target: 'm2', kind: 'produced' },
  ],
  focus: null,
  truncated: false,
};

test('arrow keys follow edges right and left, and move within a column up and down', () => {
  const view = extractNeighbourhood(new LineageIndex(graph));
  const layout = layoutLineage(view);
  const go = (from: string, key: string) => nodeToward(layout, view.edges, from, key);
  assert.equal(go('m1', 'ArrowLeft'), 'r1');
  assert.equal(go('r2', 'ArrowRight'), 'm2');
  assert.ok(['r1', 'r2'].includes(go('d', 'ArrowRight') ?? ''));
  const below = go('r1', 'ArrowDown') ?? go('r1', 'ArrowUp');
  assert.equal(below, 'r2', 'the other run shares the column');
  assert.equal(go('d', 'ArrowLeft'), null);
  assert.equal(go('d', 'Tab'), null);
});

test('sizes read like a file manager shows them', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(990), '990 B');
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatBytes(20 * 1024 * 1024), '20.0 MB');
  assert.equal(formatBytes(300 * 1024 ** 3), '300 GB');
});
