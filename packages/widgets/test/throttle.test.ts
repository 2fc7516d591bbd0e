import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Throttle } from '../src/throttle.js';

test('a burst of requests runs the task once now and once more after the interval', async () => {
  let runs = 0;
  const throttle = new Throttle(async () => {
    runs += 1;
  }, 50);
  for (let i = 0; i < 20; i++) throttle.request();
  await sleep(10);
  assert.equal(runs, 1);
  throttle.request();
  await sleep(80);
  assert.equal(runs, 2);
  throttle.dispose();
});

test('the task never runs twice at once', async () => {
  let active = 0;
  let maxActive = 0;
  const throttle = new Throttle(async () => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    await sleep(30);
    active -= 1;
  }, 1);
  for (let i = 0; i < 5; i++) {
    throttle.request();
    await sleep(5);
  }
  await sleep(100);
  assert.equal(maxActive, 1);
  throttle.dispose();
});

test('a failing task does not stop later runs', async () => {
  let runs = 0;
  const original = console.error;
  console.error = () => undefined;
  const throttle = new Throttle(async () => {
    runs += 1;
    throw new Error('boom');
  }, 1);
  try {
    throttle.request();
    await sleep(10);
    throttle.request();
    await sleep(10);
    assert.equal(runs, 2);
  } finally {
    console.error = original;
    throttle.dispose();
  }
});

test('nothing runs after dispose', async () => {
  let runs = 0;
  const throttle = new Throttle(async () => {
    runs += 1;
  }, 1);
  throttle.dispose();
  throttle.request();
  await sleep(10);
  assert.equal(runs, 0);
});

test('whenIdle resolves once the running task and the one asked for meanwhile are done', async () => {
  const finished: string[] = [];
  let runs = 0;
  const throttle = new Throttle(async () => {
    runs += 1;
    await sleep(20);
    finished.push(`run ${runs}`);
  }, 5);
  assert.equal(throttle.busy, false);
  await throttle.whenIdle(); // idle: resolves at once
  throttle.request();
  await sleep(5);
  throttle.request(); // asked for while the first run is in progress
  assert.equal(throttle.busy, true);
  await throttle.whenIdle();
  finished.push('idle');
  assert.deepEqual(finished, ['run 1', 'run 2', 'idle']);
  throttle.request();
  const waiting = throttle.whenIdle();
  throttle.dispose(); // a disposed throttle runs nothing more: its waiters are released
  await waiting;
});
