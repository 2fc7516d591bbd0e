import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { LineageIndex, extractNeighbourhood, layoutLineage } from '@spyglass/lineage';
const g = JSON.parse(readFileSync('/tmp/sg-lineage-bench-mine/whole.json', 'utf8'));
for (const focus of ['artifact:lineage-bench/dataset-0:v0', 'artifact:lineage-bench/model-0:v0', 'run:lineage-bench/r09999']) {
  for (const depth of [2, 3, 4]) {
  const t0 = performance.now();
  const index = new LineageIndex(g);
  const t1 = performance.now();
  const view = extractNeighbourhood(index, { focus, depth });
  const t2 = performance.now();
  const layout = layoutLineage(view);
  const t3 = performance.now();
  console.log(focus, depth, view.nodes.length, view.edges.length, (t1-t0).toFixed(1), (t2-t1).toFixed(1), (t3-t2).toFixed(1));
  }
}
const t0 = performance.now();
const v = extractNeighbourhood(new LineageIndex(g), {});
const l = layoutLineage(v);
console.log('whole collapsed', v.nodes.length, (performance.now()-t0).toFixed(1));
