// The page's side of opening a 10k-call tree, DOM-free: the answer decoded (JSON.parse of the JSON answer, or
// the Arrow IPC answer read by traceAnswerFromArrow), checked, built into a tree and flattened into the rows
// drawn first. Run by run.py with the two answers of one trace as files; prints medians (ms) and CPU time.
import { readFileSync } from 'node:fs';
import {
  buildCallTree,
  collapsedBelow,
  visibleRows,
} from '../../packages/widgets/lib/src/traces/call-tree.js';
import { parseTraceAnswer } from '../../packages/widgets/lib/src/traces/call-types.js';
import { traceAnswerFromArrow } from '../../packages/widgets/lib/src/traces/trace-arrow.js';

const [jsonPath, arrowPath, repeatsArg] = process.argv.slice(2);
const repeats = Number(repeatsArg ?? 7);
const jsonText = readFileSync(jsonPath, 'utf8');
const arrowBytes = new Uint8Array(readFileSync(arrowPath));

function open(decode) {
  const answer = parseTraceAnswer(decode());
  const tree = buildCallTree(answer.calls);
  const collapsed = answer.calls.length > 2000 ? collapsedBelow(tree, 1) : new Set();
  return visibleRows(tree, collapsed).length + answer.calls.length;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const contenders = {
  'JSON answer: JSON.parse + tree': () => JSON.parse(jsonText),
  'Arrow answer: traceAnswerFromArrow + tree': () => traceAnswerFromArrow(arrowBytes),
};
const times = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
const cpu = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
for (let round = 0; round < repeats; round++) {
  for (const [name, decode] of Object.entries(contenders)) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    open(decode);
    const used = process.cpuUsage(startCpu);
    times[name].push(performance.now() - start);
    cpu[name].push((used.user + used.system) / 1000);
  }
}
console.log(
  `page side (node, DOM-free), median of ${repeats}: ${(jsonText.length / 1e6).toFixed(1)} MB JSON, ${(arrowBytes.length / 1e6).toFixed(1)} MB Arrow`,
);
for (const name of Object.keys(contenders)) {
  console.log(
    `  ${name.padEnd(44)} ${median(times[name]).toFixed(1).padStart(8)} ms   CPU ${median(cpu[name]).toFixed(1)} ms`,
  );
}
