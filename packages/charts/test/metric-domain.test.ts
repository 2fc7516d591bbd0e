import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedDomain } from '../src/metric-domain.js';

test('utilisation metrics get a fixed 0-100 domain, other metrics fit their data', () => {
  for (const metric of [
    'system/cpu.percent',
    'system/memory.percent',
    'system/disk.percent',
    'system/proc.cpu.percent',
    'system/gpu.0.utilization',
    'gpu_util',
  ]) {
    assert.deepEqual(fixedDomain(metric), [0, 100], metric);
  }
  for (const metric of [
    'system/memory.used_mb',
    'train/loss',
    'percentile_90',
    'system/network.sent_bytes',
  ]) {
    assert.equal(fixedDomain(metric), null, metric);
  }
});
