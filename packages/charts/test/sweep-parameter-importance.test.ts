import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  NO_CORRELATION,
  parameterImportanceRows,
  parameterImportanceSpec,
} from '../src/sweep/parameter-importance.js';
import { renderSVG } from './support/render.js';
import { markCount, sweepFixture } from './support/sweep-fixture.js';

test('parameters are ranked by forest importance, with the sign of their correlation', () => {
  const rows = parameterImportanceRows(sweepFixture());
  assert.deepEqual(
    rows.map((r) => [r.param, r.rank, r.sign]),
    [
      ['optimizer.lr', 0, 'negative'],
      ['model.dropout', 1, 'positive'],
      ['model.layers', 2, 'negative'],
      ['optimizer.name', 3, null],
    ],
  );
});

test('draws an importance bar per parameter and a correlation bar per numeric parameter', async () => {
  const svg = await renderSVG(parameterImportanceSpec({ snapshot: sweepFixture() }));
  assert.equal(
    markCount(svg, 'rect'),
    7,
    'four importance bars, three correlations (the categorical has none)',
  );
  assert.match(svg, />correlation with val\/loss</);
});

test('a sweep with no importance yet (too few finished trials) renders empty', async () => {
  const svg = await renderSVG(parameterImportanceSpec({ snapshot: { ...sweepFixture(), importance: null } }));
  assert.equal(markCount(svg, 'rect'), 0);
});

test('a sweep with a single parameter draws its importance bar and its correlation bar', async () => {
  const s = sweepFixture();
  s.importance = [{ param: 'optimizer.lr', importance: 1, correlation: -0.74 }];
  const svg = await renderSVG(parameterImportanceSpec({ snapshot: s }));
  assert.equal(markCount(svg, 'rect'), 2, 'one importance bar, one correlation bar');
});

test('a parameter with no correlation says why in place of its bar, in the theme text colour', async () => {
  const rows = parameterImportanceRows(sweepFixture());
  assert.deepEqual(
    rows.filter((r) => r.note !== null).map((r) => [r.param, r.note]),
    [['optimizer.name', NO_CORRELATION.categorical]],
  );
  const svg = await renderSVG(
    parameterImportanceSpec({ snapshot: sweepFixture(), theme: { text: '#e0e0e0' } }),
  );
  assert.match(svg, /<text[^>]*fill="#e0e0e0"[^>]*>categories: no correlation<\/text>/);
});
