import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearestPoint, readoutText, wallClock } from '../src/hover-readout.js';

const points = [0, 10, 20, 35, 50].map((step) => ({ step, value: step / 100 }));

test('nearestPoint picks the logged x closest to the pointer, at the ends too', () => {
  assert.equal(nearestPoint(points, 14)?.step, 10);
  assert.equal(nearestPoint(points, 16)?.step, 20);
  assert.equal(nearestPoint(points, 28)?.step, 35);
  assert.equal(nearestPoint(points, -5)?.step, 0);
  assert.equal(nearestPoint(points, 900)?.step, 50);
  assert.equal(nearestPoint(points, 15)?.step, 10, 'a tie goes to the earlier point');
  assert.equal(nearestPoint([], 3), null);
  assert.equal(nearestPoint(points, Number.NaN), null);
});

test('the readout names the x axis and shows short numbers', () => {
  assert.equal(readoutText({ step: 1200, value: 0.123456789 }, 'step'), 'step 1200 · 0.123457');
  assert.equal(readoutText({ step: 12.5, value: 3 }, 'runtime (s)'), 'runtime (s) 12.5 · 3');
});

test('the readout adds the wall time a step was logged at, as the local clock', () => {
  const noon = new Date(2026, 11, 7, 12, 3, 9).getTime() / 1000;
  assert.equal(wallClock(noon), '12:03:09');
  assert.equal(readoutText({ step: 4, value: 0.5 }, 'step', noon), 'step 4 · 0.5 · 12:03:09');
});
