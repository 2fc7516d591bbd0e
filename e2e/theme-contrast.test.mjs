// Every Spyglass view in JupyterLab Light and JupyterLab Dark: the run panel, the workspace, the table explorer,
// the sweep panel and the lineage panel, as the example notebooks (quickstart, tables, sweep, artifacts) draw them. Each text on screen is checked against what it is drawn on (computed
// colours, translucency and opacity included): WCAG AA asks for 4.5:1. With SPYGLASS_SCREENSHOTS set, a
// screenshot of each view in each theme is saved there (the README's pictures come from this test).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { contrastRatio, over, parseColor } from './support/color-contrast.mjs';
import { repoRoot } from './support/jupyter-lab.mjs';
import { openLab, openNotebook, runAllCells } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';

const SHOTS = process.env.SPYGLASS_SCREENSHOTS;
const AA = 4.5;

/** The code cells of the example notebooks, so the views (and the README's pictures) show what users run. */
function exampleCells(name) {
  const notebook = JSON.parse(readFileSync(join(repoRoot, 'notebooks', `${name}.ipynb`), 'utf8'));
  return notebook.cells
    .filter((cell) => cell.cell_type === 'code')
    .map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));
}

const CELLS = [
  ...exampleCells('quickstart'),
  ...exampleCells('tables'),
  ...exampleCells('sweep'),
  ...exampleCells('artifacts'),
  'sg.workspace("quickstart")',
];

/** The views checked: the element that holds each, and a selector that matches once it has drawn. */
const VIEWS = {
  'run-panel': { root: '.jp-SpyglassRunPanel', ready: '.jp-SpyglassRunPanel[data-rows="300"] svg' },
  'table-explorer': { root: '.sg-table-explorer', ready: '.sg-table-explorer[data-state="ready"]' },
  'sweep-panel': { root: '.jp-SpyglassSweep', ready: '.jp-SpyglassSweep svg' },
  'lineage-panel': {
    root: '.jp-SpyglassLineagePanel',
    ready: '.jp-SpyglassLineagePanel [data-spyglass-node-id]',
  },
  workspace: {
    root: '.jp-SpyglassWorkspaceOutput .jp-SpyglassWorkspace',
    ready:
      '.jp-SpyglassWorkspaceOutput .jp-SpyglassWorkspace[data-status="ready"] .jp-SpyglassWorkspaceChart svg',
  },
};

const session = useLabAndBrowser({
  prepare: (lab) => writeNotebook(join(lab.rootDir, 'theme.ipynb'), CELLS),
});

/** Every visible text in `root` whose contrast with what it is drawn on is under AA, with the ratio. */
function lowContrastTexts(page, root) {
  return page.evaluate((selector) => {
    const node = document.querySelector(selector);
    const found = [];
    const transparent = (c) => c === 'transparent' || /^rgba\(.*,\s*0\)$|\/\s*0\)$/.test(c);
    /** The first opaque-ish background behind an element, and what shows through it. */
    const backgroundOf = (element) => {
      const layers = [];
      for (let e = element; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (!transparent(bg)) {
          layers.push(bg);
          if (!/rgba|\/\s*0?\.\d/.test(bg)) break;
        }
      }
      if (layers.length === 0) layers.push(getComputedStyle(document.body).backgroundColor);
      return layers;
    };
    const opacityOf = (element) => {
      let opacity = 1;
      for (let e = element; e && e !== document.body; e = e.parentElement) {
        opacity *= Number(getComputedStyle(e).opacity);
      }
      return opacity;
    };
    const texts = [...node.querySelectorAll('*')].filter((e) => {
      if (e.closest('[hidden], details:not([open]) > :not(summary)')) return false;
      const own = [...e.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent.trim() !== '');
      if (!own) return false;
      const box = e.getBoundingClientRect();
      const style = getComputedStyle(e);
      return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    });
    for (const element of texts) {
      const style = getComputedStyle(element);
      const isSvg = element instanceof SVGElement;
      const ink = isSvg ? style.fill : style.color;
      if (!ink || ink === 'none' || ink.startsWith('url(')) continue;
      // Vega hides overlapping axis labels with opacity 0: not text anyone sees.
      if (opacityOf(element) * (isSvg ? Number(style.fillOpacity) : 1) < 0.05) continue;
      found.push({
        text: element.textContent.trim().slice(0, 40),
        tag: element.tagName.toLowerCase(),
        cls: String(element.getAttribute('class') ?? '').slice(0, 60),
        ink,
        fillOpacity: isSvg ? Number(style.fillOpacity) : 1,
        opacity: opacityOf(element),
        layers: backgroundOf(element),
      });
    }
    return { found, page: getComputedStyle(document.body).backgroundColor };
  }, root);
}

/** A computed colour as rgba() text, its alpha multiplied by `factor` (opacity, fill-opacity). */
function fade(color, factor) {
  const { r, g, b, a } = parseColor(color);
  return `rgba(${r}, ${g}, ${b}, ${a * factor})`;
}

/** The contrast of a measured text: its ink over its background layers, innermost last, over the page. */
function ratioOf(text, pageColor) {
  let ground = parseColor(pageColor);
  for (const layer of [...text.layers].reverse()) ground = over(parseColor(layer), ground);
  const behind = `rgb(${ground.r}, ${ground.g}, ${ground.b})`;
  return contrastRatio(fade(text.ink, text.opacity * text.fillOpacity), behind, behind);
}

/** A picture of one view, in a viewport tall enough that the notebook's scroll area does not cut it. */
async function screenshot(page, locator, file) {
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1400, height: 2600 });
  await locator.scrollIntoViewIfNeeded();
  await new Promise((r) => setTimeout(r, 700));
  await locator.screenshot({ path: join(SHOTS, file) });
  await page.setViewportSize({ width: 1400, height: 900 });
}

async function setTheme(page, theme) {
  await page.evaluate(
    (name) => window.jupyterapp.commands.execute('apputils:change-theme', { theme: name }),
    theme,
  );
  const light = theme === 'JupyterLab Light' ? 'true' : 'false';
  await page.waitForFunction((want) => document.body.dataset.jpThemeLight === want, light, {
    timeout: 15_000,
  });
  await new Promise((r) => setTimeout(r, 1500)); // views re-render their charts on the switch
}

test('every view keeps its text at 4.5:1 or more in JupyterLab Light and Dark', async () => {
  const { page } = session.browser;
  await page.setViewportSize({ width: 1400, height: 900 });
  await openLab(page, session.lab.url);
  await openNotebook(page, 'theme.ipynb');
  await runAllCells(page);
  for (const view of Object.values(VIEWS)) {
    await page.waitForSelector(view.ready, { state: 'attached', timeout: 120_000 });
  }
  // Failures grouped by what draws them (one class of element fails the same way on every row).
  const failures = new Map();
  let checked = 0;
  for (const theme of ['JupyterLab Light', 'JupyterLab Dark']) {
    await setTheme(page, theme);
    for (const [name, view] of Object.entries(VIEWS)) {
      const locator = page.locator(view.root).first();
      await locator.scrollIntoViewIfNeeded();
      await new Promise((r) => setTimeout(r, 700)); // charts drawn when scrolled into view
      const { found, page: pageColor } = await lowContrastTexts(page, view.root);
      assert.ok(found.length > 0, `${name} shows some text`);
      for (const text of found) {
        checked += 1;
        const ratio = ratioOf(text, pageColor);
        if (ratio >= AA) continue;
        const key = `${theme} ${name} <${text.tag} class="${text.cls}"> ${ratio.toFixed(2)}:1`;
        const seen = failures.get(key);
        failures.set(key, { count: (seen?.count ?? 0) + 1, example: seen?.example ?? text.text });
      }
      if (SHOTS)
        await screenshot(page, locator, `${name}-${theme === 'JupyterLab Dark' ? 'dark' : 'light'}.png`);
    }
  }
  await setTheme(page, 'JupyterLab Light');
  const under = [...failures.values()].reduce((n, f) => n + f.count, 0);
  console.log(`theme contrast: ${checked} texts checked, ${under} under ${AA}:1`);
  assert.deepEqual(
    [...failures].map(([key, f]) => `${key} ×${f.count}, e.g. "${f.example}"`),
    [],
  );
});
