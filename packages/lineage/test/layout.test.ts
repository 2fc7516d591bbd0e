import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineageIndex } from '../src/LineageIndex.js';
import { type LineageLayout, layoutLineage } from '../src/layout.js';
import { extractNeighbourhood } from '../src/neighbourhood.js';
import { fitText, nodeSize, nodeText } from '../src/node-text.js';
import { fanOut, goldenGraph } from './support/graphs.js';

function overlaps(layout: LineageLayout): string[] {
  const found: string[] = [];
  const { nodes } = layout;
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i];
      const b = nodes[j];
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height)
        found.push(`${a.view.id} / ${b.view.id}`);
    }
  }
  return found;
}

const byId = (layout: LineageLayout, id: string) => layout.nodes.find((n) => n.view.id === id);

test('the golden graph lays out left to right in time order, with no overlapping nodes', () => {
  const layout = layoutLineage(extractNeighbourhood(new LineageIndex(goldenGraph())));
  assert.deepEqual(overlaps(layout), []);
  const x = (id: string) => byId(layout, id)?.x ?? Number.NaN;
  assert.ok(x('artifact:lineage-demo/mnist-sample:v0') < x('run:lineage-demo/r0a1b2c3'));
  assert.ok(x('run:lineage-demo/r0a1b2c3') < x('artifact:lineage-demo/classifier:v0'));
  assert.ok(x('run:lineage-demo/r4d5e6f7') < x('artifact:lineage-demo/classifier:v1'));
  assert.equal(layout.edges.length, 4);
  for (const e of layout.edges) assert.ok(e.points.length >= 2, 'every edge has a route');
  for (const n of layout.nodes) {
    assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.width <= layout.width && n.y + n.height <= layout.height);
  }
});

test('a wide, collapsed level lays out without overlaps too', () => {
  const { graph, dataset } = fanOut(200);
  const layout = layoutLineage(
    extractNeighbourhood(new LineageIndex(graph), { focus: dataset.id, depth: 2 }),
  );
  assert.equal(layout.nodes.length, 1 + 8 + 7);
  assert.deepEqual(overlaps(layout), []);
});

test('artifact boxes make room for a third line of aliases; long names are cut with an ellipsis', () => {
  const index = new LineageIndex(goldenGraph());
  const view = extractNeighbourhood(index);
  const production = view.nodes.find((n) => n.id === 'artifact:lineage-demo/classifier:v1');
  const run = view.nodes.find((n) => n.kind === 'run');
  assert.ok(production && run);
  const text = nodeText(production);
  assert.deepEqual(text, { title: 'classifier:v1', subtitle: 'model', chips: ['latest', 'production'] });
  assert.ok(nodeSize(text).height > nodeSize(nodeText(run)).height);
  assert.equal(nodeText(run).subtitle, 'run · finished · train');
  assert.equal(fitText('abcdefghij', 5), 'abcd…');
  assert.equal(fitText('abc', 5), 'abc');
});
