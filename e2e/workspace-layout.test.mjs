// The workspace's first look with 10 runs (issue 14): every legend entry readable, distinct run colours, plain
// wheel scrolls the page while Ctrl+wheel zooms within the data, charts fill their grid column, one title each and
// x-axis labels that do not overlap.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { runPython } from './support/store.mjs';

const SHOTS = process.env.SPYGLASS_SCREENSHOTS; // opt-in: a folder for screenshots of the workspace
const PROJECT = 'first-hour';
const RUNS = 10;
const STEPS = 1500;

const GENERATOR = `
import math, sys
import spyglass as sg
store, runs, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(runs):
    run = sg.init(project="${PROJECT}", dir=store, name=f"resnet50-lr{i}-warmup-cosine", group="g%d" % (i % 2),
                  config={"lr": 0.1 / (i + 1), "opt": ["adam", "sgd"][i % 2]}, settings={"x_disable_stats": True})
    for step in range(steps):
        loss = 1.0 / (1 + step / (100 + 20 * i)) + 0.01 * math.sin(step / 30 + i)
        run.log({"train/loss": loss, "train/acc": 1 - loss / 2, "val/loss": loss * 1.1, "val/acc": 1 - loss / 3,
                 "lr": 0.1 / (i + 1) * (1 + math.cos(math.pi * step / steps)) / 2}, step=step)
    run.finish()
`;

const session = useLabAndBrowser({
  prepare: (lab) => runPython(GENERATOR, [join(lab.rootDir, 'spyglass'), RUNS, STEPS]),
});

const WORKSPACE = '.jp-SpyglassWorkspaceWidget .jp-SpyglassWorkspace';
const chart = (metric) => `${WORKSPACE} .jp-SpyglassWorkspaceChart[data-metric="${metric}"]`;

async function openWorkspace(page) {
  await page.evaluate(
    (project) => window.jupyterapp.commands.execute('spyglass:open-workspace', { project }),
    PROJECT,
  );
  await page.waitForSelector(`${WORKSPACE}[data-status="ready"][data-runs="${RUNS}"]`, { timeout: 60_000 });
}

/** Legend, colours, title and axis labels of one chart, as laid out in the page. */
function chartLook(page, metric) {
  return page.evaluate((selector) => {
    const node = document.querySelector(selector);
    const legend = node.querySelector('.jp-SpyglassChartLegend');
    const entries = [...legend.querySelectorAll('.jp-SpyglassChartLegend-entry')].map((entry) => {
      const label = entry.querySelector('.jp-SpyglassChartLegend-label');
      // The width the name needs on one line in the legend's font, measured apart from the legend's layout.
      const probe = label.cloneNode(true);
      Object.assign(probe.style, { position: 'absolute', whiteSpace: 'nowrap', visibility: 'hidden' });
      legend.append(probe);
      const needed = probe.getBoundingClientRect().width;
      probe.remove();
      const box = label.getBoundingClientRect();
      return {
        key: entry.dataset.key,
        text: label.textContent,
        color: getComputedStyle(entry.querySelector('.jp-SpyglassChartLegend-swatch')).backgroundColor,
        width: box.width,
        height: box.height,
        needed,
        clipped: label.scrollWidth > label.clientWidth + 1,
      };
    });
    const more = legend.querySelector('.jp-SpyglassChartLegend-more')?.textContent ?? '';
    // Vega's axis label groups; the x axis is the one whose labels sit on one row.
    const axes = [...node.querySelectorAll('svg g.role-axis')].map((axis) =>
      [...axis.querySelectorAll('.role-axis-label text')]
        .filter((t) => t.textContent !== '' && Number(t.getAttribute('opacity') ?? 1) > 0)
        .map((t) => {
          const b = t.getBoundingClientRect();
          return { text: t.textContent, left: b.left, right: b.right, top: b.top, bottom: b.bottom };
        }),
    );
    const xLabels = axes.find(
      (labels) => labels.length > 1 && labels.every((l) => Math.abs(l.top - labels[0].top) < 2),
    );
    const svgTexts = [...node.querySelectorAll('svg text')].map((t) => t.textContent);
    const plot = node.querySelector('.jp-SpyglassWorkspaceChart-plot svg');
    return {
      entries,
      more,
      scrolls: legend.scrollHeight > legend.clientHeight,
      legendHidden: legend.hidden,
      xLabels: xLabels ?? [],
      titles: [...node.querySelectorAll('.jp-SpyglassWorkspaceChart-title')].map((t) => t.textContent),
      titleCut: [...node.querySelectorAll('.jp-SpyglassWorkspaceChart-title')].some(
        (t) => t.scrollWidth > t.clientWidth + 1,
      ),
      metricInSvg: svgTexts.filter((t) => t === node.dataset.metric).length,
      vegaTitles: node.querySelectorAll('svg .role-title').length,
      chartWidth: node.getBoundingClientRect().width,
      svgWidth: plot ? plot.getBoundingClientRect().width : 0,
      lines: Number(node.dataset.lines),
      groups: Number(node.dataset.groups),
    };
  }, chart(metric));
}

/** The grid's column count and width, from the section grid holding `metric`'s chart. */
function gridColumns(page, metric) {
  return page.evaluate((selector) => {
    const grid = document.querySelector(selector).closest('.jp-SpyglassWorkspace-sectionGrid');
    const columns = getComputedStyle(grid).gridTemplateColumns.split(' ').map(parseFloat);
    return { count: columns.length, width: columns[0], gridWidth: grid.clientWidth };
  }, chart(metric));
}

function overlaps(labels) {
  const sorted = [...labels].sort((a, b) => a.left - b.left);
  return sorted.slice(1).filter((l, i) => l.left < sorted[i].right);
}

async function waitReady(page, metric, predicate = () => true, what = `${metric} drawn`) {
  return waitFor(
    async () => {
      const ready = await page.$eval(chart(metric), (n) => n.dataset.state === 'ready').catch(() => false);
      if (!ready) return null;
      const look = await chartLook(page, metric);
      return predicate(look) ? look : null;
    },
    what,
    60_000,
  );
}

const xDomain = (page, metric) =>
  page.$eval(chart(metric), (n) => n.spyglassView.scale('x').domain().map(Number));
const shownRange = (page, metric) =>
  page.$eval(chart(metric), (n) => (n.dataset.range ? JSON.parse(n.dataset.range) : null));

test('legends name every run in distinct colours, charts fill the row with one title and readable ticks', async () => {
  const { page, consoleErrors } = session.browser;
  await openLab(page, session.lab.url);
  // The file browser closed: the workspace gets the whole width of the 1400 px window.
  await page.evaluate(() => window.jupyterapp.commands.execute('application:toggle-left-area'));
  await openWorkspace(page);
  const look = await waitReady(
    page,
    'train/loss',
    (l) => l.entries.length === RUNS,
    'a legend entry per run',
  );

  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'workspace-first-look.png') });

  // Every run is named in full, on screen, in its own colour; the runs table shows the same colours.
  const names = await page.$$eval(`${WORKSPACE} .jp-SpyglassRunsTable-row`, (rows) =>
    rows.map((r) => ({
      id: r.dataset.runId,
      name: r.querySelector('[data-column="name"]').title,
      color: getComputedStyle(r.querySelector('.jp-SpyglassRunsTable-swatch')).backgroundColor,
    })),
  );
  assert.equal(look.lines, RUNS);
  assert.equal(look.more, '', 'ten runs fit the legend');
  for (const entry of look.entries) {
    const run = names.find((n) => n.id === entry.key);
    assert.equal(entry.text, run.name, 'the full run name');
    assert.ok(
      !entry.clipped && entry.width >= entry.needed - 0.5,
      `${entry.text} is cut: ${entry.width} < ${entry.needed}`,
    );
    assert.equal(entry.color, run.color, `${entry.text}: the legend and the table agree on the colour`);
  }
  assert.equal(new Set(look.entries.map((e) => e.color)).size, RUNS, 'ten runs, ten colours');

  // One title per chart (the panel header), none drawn again by Vega.
  assert.deepEqual(look.titles, ['train/loss']);
  assert.equal(look.vegaTitles, 0);
  assert.equal(look.metricInSvg, 0);
  assert.equal(look.titleCut, false, 'the title is shown in full');

  // The grid fills the width: each chart is at least 90% of its column, columns fill the grid.
  const columns = await gridColumns(page, 'train/loss');
  assert.ok(columns.count >= 3, `columns at 1400 px: ${JSON.stringify(columns)}`);
  assert.ok(look.chartWidth >= 0.9 * columns.width, `chart ${look.chartWidth} of column ${columns.width}`);
  assert.ok(look.svgWidth >= 0.9 * columns.width, `plot ${look.svgWidth} of column ${columns.width}`);
  assert.ok(columns.count * columns.width >= 0.9 * columns.gridWidth, JSON.stringify(columns));

  // X-axis labels do not overlap.
  assert.ok(look.xLabels.length >= 3, JSON.stringify(look.xLabels));
  assert.deepEqual(overlaps(look.xLabels), [], `x labels ${look.xLabels.map((l) => l.text)}`);

  // Narrower window: fewer columns, the charts re-fill them and still keep their labels apart.
  await page.setViewportSize({ width: 900, height: 1000 });
  const narrow = await waitFor(async () => {
    const c = await gridColumns(page, 'train/loss');
    const l = await chartLook(page, 'train/loss');
    return c.count < columns.count && l.svgWidth >= 0.9 * c.width && l.svgWidth < look.svgWidth
      ? { c, l }
      : null;
  }, 'the grid to re-layout at 900 px');
  assert.deepEqual(overlaps(narrow.l.xLabels), [], `x labels ${narrow.l.xLabels.map((l) => l.text)}`);
  await page.setViewportSize({ width: 1400, height: 1000 });

  // Grouped: a band per group, and a legend naming the groups in two different colours.
  await page.selectOption(`${WORKSPACE} .jp-SpyglassWorkspace-groupBy`, 'config.opt');
  const grouped = await waitReady(
    page,
    'train/loss',
    (l) => l.groups === 2 && l.entries.length === 2,
    'a group legend',
  );
  assert.deepEqual(grouped.entries.map((e) => e.text).sort(), ['adam', 'sgd']);
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'workspace-grouped.png') });
  assert.notEqual(grouped.entries[0].color, grouped.entries[1].color);
  assert.equal(grouped.vegaTitles, 0);
  await page.selectOption(`${WORKSPACE} .jp-SpyglassWorkspace-groupBy`, '');
  await waitReady(page, 'train/loss', (l) => l.groups === 0 && l.entries.length === RUNS, 'lines again');

  // The colours survive a reload.
  await page.reload();
  await page.waitForFunction(() => window.jupyterapp !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.jupyterapp.restored);
  if (!(await page.$(WORKSPACE))) await openWorkspace(page);
  const reloaded = await waitReady(
    page,
    'train/loss',
    (l) => l.entries.length === RUNS,
    'the legend after a reload',
  );
  const colorsOf = (l) => Object.fromEntries(l.entries.map((e) => [e.key, e.color]));
  assert.deepEqual(colorsOf(reloaded), colorsOf(look), 'the same colour per run after a reload');
  assert.deepEqual(
    consoleErrors.filter((e) => /spyglass/i.test(e)),
    [],
    'no Spyglass errors in the console',
  );
});

test('a plain wheel scrolls the workspace; Ctrl+wheel and the buttons zoom, never past the data', async () => {
  const { page } = session.browser;
  const metric = 'train/loss';
  await page.locator(chart(metric)).scrollIntoViewIfNeeded();
  await waitReady(page, metric);
  const scroller = `${WORKSPACE}`;
  const scrollTop = () =>
    page.$eval(scroller, (n) => {
      let el = n;
      while (el && !(el.scrollHeight > el.clientHeight && /auto|scroll/.test(getComputedStyle(el).overflowY)))
        el = el.parentElement;
      return el ? el.scrollTop : -1;
    });
  const before = await scrollTop();
  const domain = await xDomain(page, metric);
  assert.deepEqual(domain, [0, STEPS - 1], 'the unzoomed axis spans the data');
  const box = await page.locator(`${chart(metric)} .jp-SpyglassLinePlot-lines`).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, before > 50 ? -120 : 120);
  await waitFor(async () => (await scrollTop()) !== before, 'the plain wheel to scroll the workspace');
  assert.equal(await shownRange(page, metric), null, 'no zoom from a plain wheel');
  assert.deepEqual(await xDomain(page, metric), domain, 'the x domain is unchanged');

  // Ctrl+wheel in zooms about the pointer; out again stops at the data's extent, never beyond it.
  const plot = await page.locator(`${chart(metric)} .jp-SpyglassLinePlot-lines`).boundingBox();
  await page.mouse.move(plot.x + plot.width * 0.2, plot.y + plot.height / 2);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -400);
  await page.keyboard.up('Control');
  const zoomed = await waitFor(() => shownRange(page, metric), 'Ctrl+wheel to zoom in');
  assert.ok(
    zoomed[0] >= 0 && zoomed[1] <= STEPS - 1 && zoomed[1] - zoomed[0] < STEPS / 2,
    JSON.stringify(zoomed),
  );
  for (let i = 0; i < 8; i++) {
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, 500);
    await page.keyboard.up('Control');
    await page.waitForTimeout(150);
    await waitReady(page, metric);
    const [lo, hi] = await xDomain(page, metric);
    assert.ok(lo >= 0 && hi <= STEPS - 1, `zoomed out to ${lo}..${hi}, beyond the data 0..${STEPS - 1}`);
  }
  assert.equal(await shownRange(page, metric), null, 'zooming out ends at the whole data');
  assert.deepEqual(await xDomain(page, metric), domain);

  // The zoom buttons: in halves the range, out twice is back to everything.
  await page.click(`${chart(metric)} [data-action="zoom-in"]`);
  const half = await waitFor(() => shownRange(page, metric), 'the zoom-in button');
  assert.ok(Math.abs(half[1] - half[0] - (STEPS - 1) / 2) < 1, JSON.stringify(half));
  await page.click(`${chart(metric)} [data-action="zoom-out"]`);
  await page.click(`${chart(metric)} [data-action="zoom-out"]`);
  await waitFor(
    async () => (await shownRange(page, metric)) === null,
    'the zoom-out button back to the data',
  );
  await waitFor(
    async () => JSON.stringify(await xDomain(page, metric)) === JSON.stringify(domain),
    'the full x domain again',
  );
});
