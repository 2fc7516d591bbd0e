import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TopLevelSpec } from 'vega-lite';
import { inertText, loadsCss, sanitizeRows, sanitizeVegaSpec } from '../src/spec-sanitize.js';
import { renderSVG } from './support/render.js';

const CANARY = 'http://127.0.0.1:9/x.svg#g';

test('CSS that loads a resource is recognised through case, spaces, comments and escapes', () => {
  for (const text of [
    `url(${CANARY})`,
    `URL (${CANARY})`,
    `u/**/rl(${CANARY})`,
    `\\75 rl(${CANARY})`,
    `\\55RL(${CANARY})`,
    `red url(${CANARY})`,
    `image-set("${CANARY}" 1x)`,
    `-webkit-image-set(url(${CANARY}) 1x)`,
  ])
    assert.ok(loadsCss(text), text);
  for (const text of ['steelblue', '#ff0000', 'rgb(1, 2, 3)', 'curl(x)', 'a (b)', 'http://example.org'])
    assert.ok(!loadsCss(text), text);
});

test('url() paint, remote href/image values and data.url are removed from a spec, the rest is kept', () => {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { url: `${CANARY}.csv` },
    mark: { type: 'point', fill: `url(${CANARY})`, stroke: 'red', cursor: `url(${CANARY}), auto` },
    encoding: {
      x: { field: 'a', type: 'quantitative' },
      color: { value: `\\75rl(${CANARY})` },
      href: { field: 'link', type: 'nominal' },
      url: { condition: { test: 'datum.a > 1', value: CANARY }, value: 'data:image/png;base64,AAAA' },
    },
    config: { background: `url(${CANARY})`, range: { category: ['red', `url(${CANARY})`, 'blue'] } },
  };
  const { spec: clean, removed, remoteData } = sanitizeVegaSpec(spec);
  assert.equal(remoteData, 'spec.data.url');
  assert.deepEqual(removed.sort(), [
    'spec.config.background',
    'spec.config.range.category[1]',
    'spec.data.url',
    'spec.encoding.color.value',
    'spec.encoding.url.condition.value',
    'spec.mark.cursor',
    'spec.mark.fill',
  ]);
  assert.deepEqual(clean.mark, { type: 'point', stroke: 'red' });
  assert.deepEqual(clean.config.range.category, ['red', 'blue']);
  assert.deepEqual(clean.encoding.href, { field: 'link', type: 'nominal' }, 'field names are not URLs');
  assert.equal(clean.encoding.url.condition.test, 'datum.a > 1', 'expressions stay');
  assert.equal(clean.encoding.url.value, 'data:image/png;base64,AAAA', 'data: URLs stay');
  assert.equal(clean.$schema, spec.$schema);
  assert.equal(spec.mark.fill, `url(${CANARY})`, 'the input is not changed');
  const untouched = { mark: 'bar', encoding: { x: { field: 'a' } } };
  assert.equal(sanitizeVegaSpec(untouched).spec, untouched, 'a clean spec comes back as it is');
});

test('row values keep their text but lose the CSS call, in datasets, data.values and replaced rows', () => {
  const cell = `url(${CANARY})`;
  const spec = { datasets: { table: [{ c: cell, n: 1 }] }, data: { values: [{ c: cell }] }, mark: 'point' };
  const { spec: clean, removed } = sanitizeVegaSpec(spec);
  assert.deepEqual(removed, []);
  assert.equal(clean.datasets.table[0].c, inertText(cell));
  assert.equal(clean.data.values[0].c, inertText(cell));
  assert.ok(!loadsCss(inertText(cell)) && inertText(cell).includes(CANARY), inertText(cell));
  const rows = [{ c: 'fine' }, { c: cell }];
  const cleanRows = sanitizeRows(rows);
  assert.equal(cleanRows[0], rows[0]);
  assert.equal(cleanRows[1].c, inertText(cell));
  const clean2 = [{ c: 'fine' }];
  assert.equal(sanitizeRows(clean2), clean2);
});

test('a hostile plot spec renders to an SVG with no url(), no remote href and no remote image', async () => {
  const spec = {
    datasets: {
      table: [
        { a: 1, b: 2, paint: `url(${CANARY})`, link: CANARY, img: CANARY },
        { a: 2, b: 3, paint: 'red', link: 'data:text/plain,x', img: 'data:image/png;base64,AAAA' },
      ],
    },
    data: { name: 'table' },
    layer: [
      {
        mark: { type: 'point', fill: `url(${CANARY})`, stroke: `URL(${CANARY})` },
        encoding: {
          x: { field: 'a', type: 'quantitative' },
          y: { field: 'b', type: 'quantitative' },
          color: { field: 'paint', type: 'nominal', scale: null },
          href: { value: CANARY },
        },
      },
      {
        mark: { type: 'image', width: 10, height: 10, url: CANARY },
        encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } },
      },
    ],
  };
  const before = await renderSVG(spec as unknown as TopLevelSpec);
  assert.match(before, /url\(http/, 'unsanitised, the SVG paints from the canary');
  const svg = await renderSVG(sanitizeVegaSpec(spec).spec as unknown as TopLevelSpec);
  assert.doesNotMatch(svg, /url\(\s*['"]?http/i);
  assert.doesNotMatch(svg, /href="http/i);
  assert.match(svg, /<path|<circle/, 'the points are still drawn');
});
