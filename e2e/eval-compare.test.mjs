// The evaluation comparison in a real JupyterLab: a notebook evaluates two models (plain Python models whose
// predict calls a traced "llm" op recording tokens and cost) on one dataset; sg.compare_evaluations shows the
// comparison panel in the cell; spyglass:compare-evaluations opens the panel with both evaluations, the
// aggregate bars, cost and latency, and the regressions listed first; a click on an example shows both outputs.
// The same panel is sg.compare_evaluations's output in the cell.
// The models' outputs and errors carry an XSS corpus: window.__xss stays unset and nothing active is drawn.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLab, openNotebook, runAllCells, waitFor } from './support/lab-page.mjs';
import { useLabAndBrowser } from './support/lab-session.mjs';
import { writeNotebook } from './support/notebook-file.mjs';
import { openReportPage } from './support/report-page.mjs';

const PROJECT = 'evals-demo';
const XSS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '[click me](javascript:window.__xss=1)',
  '"><svg onload="window.__xss=1">',
];

const EVALUATE = `
import json
import spyglass as sg
from spyglass.traces import current_call

XSS = json.loads(${JSON.stringify(JSON.stringify(XSS))})
rows = [{"question": f"capital {i}", "expected": f"city {i}"} for i in range(6)]
dataset = sg.Dataset(rows, name="capitals")

@sg.op
def llm(prompt, price):
    current_call().usage = {"input_tokens": 10, "output_tokens": 2}
    current_call().cost = price
    return prompt.replace("capital", "city")

class Careful(sg.Model):
    price: float = 0.001

    def predict(self, question):
        return llm(question, self.price)

class Sloppy(sg.Model):
    price: float = 0.0002

    def predict(self, question):
        if question == "capital 4":
            raise ValueError("gave up " + XSS[1])
        answer = llm(question, self.price)
        return XSS[0] + " " + XSS[2] if question == "capital 2" else answer

def close_enough(output, expected):
    return 1.0 if output == expected else 0.2

evaluation = sg.Evaluation(dataset=dataset, scorers=[sg.evals.ExactMatch(), close_enough], name="capitals-eval")
careful = evaluation.evaluate(Careful(), project="${PROJECT}", progress=False)
sloppy = evaluation.evaluate(Sloppy(), project="${PROJECT}", progress=False)
print("evaluated", careful["run"], sloppy["run"])`;

const COMPARE = `sg.compare_evaluations("${PROJECT}", [careful, sloppy])`;

const session = useLabAndBrowser();

const IN_CELL = '.jp-OutputArea-output';
const IN_MAIN = '[id^="spyglass-evals-"]';

/** What the panel inside `scope` (the cell's output or the main area's panel) shows. */
function panelState(page, scope = IN_MAIN) {
  return page.evaluate(
    ([project, where]) => {
      const panel = document.querySelector(`${where} [data-spyglass-evals="${project}"]`);
      if (!panel) return null;
      const text = (el) => el?.textContent ?? '';
      return {
        regressions: panel.getAttribute('data-regressions'),
        picks: [...panel.querySelectorAll('[data-spyglass-eval-pick]')].map((box) => ({
          run: box.getAttribute('data-spyglass-eval-pick'),
          checked: box.checked,
        })),
        counts: text(panel.querySelector('[data-spyglass-eval-counts]')),
        bars: panel.querySelectorAll('[data-spyglass-eval-chart] svg [aria-roledescription="bar"]').length,
        axisText: [...panel.querySelectorAll('[data-spyglass-eval-chart] svg .role-axis-label text')].map(
          (t) => getComputedStyle(t).fill,
        )[0],
        fontColor: getComputedStyle(panel).color,
        amounts: [...panel.querySelectorAll('[data-spyglass-eval-amounts] tbody tr')].map((row) =>
          [...row.querySelectorAll('td')].map(text),
        ),
        rows: [...panel.querySelectorAll('[data-spyglass-eval-example]')].map((row) => ({
          outcome: row.getAttribute('data-outcome'),
          cells: [...row.querySelectorAll('td')].map(text),
        })),
        outputs: [...panel.querySelectorAll('[data-spyglass-eval-output]')].map(text),
        detail: text(panel.querySelector('[data-spyglass-eval-detail]')),
        notice: panel.querySelector('.jp-SpyglassEvals-notice:not([hidden])')?.textContent ?? '',
        active: panel.querySelectorAll(
          '[data-spyglass-eval-detail] :is(img, script, svg, iframe, a), [data-spyglass-eval-examples] :is(img, script, svg, iframe, a), [onerror], [onload]',
        ).length,
        theme: document.body.dataset.jpThemeName,
      };
    },
    [PROJECT, scope],
  );
}

test('two evaluated models open side by side with the regressions first and their outputs inert', {
  timeout: 300_000,
}, async () => {
  const { page } = session.browser;
  writeNotebook(join(session.lab.rootDir, 'evals.ipynb'), [EVALUATE, COMPARE]);
  await openLab(page, session.lab.url);
  await openNotebook(page, 'evals.ipynb');
  await runAllCells(page);

  // The cell's output: the comparison panel (Careful the baseline), regressions first.
  const cell = await waitFor(
    async () => {
      const state = await panelState(page, IN_CELL);
      return state?.rows.length === 6 && state.bars === 4 ? state : null;
    },
    'the comparison in the cell',
    180_000,
  );
  assert.match(cell.counts, /2 regression, 4 same\. Baseline: capitals-eval · Careful\./);
  assert.deepEqual(
    cell.rows.slice(0, 2).map((r) => r.outcome),
    ['regression', 'regression'],
  );
  await page.click(`${IN_CELL} [data-spyglass-eval-example] >> nth=1`);
  const inCell = await waitFor(async () => {
    const state = await panelState(page, IN_CELL);
    return state?.outputs.length === 2 ? state : null;
  }, "the example's outputs in the cell");
  assert.ok(inCell.outputs[1].includes(XSS[0]), 'the payload is text in the cell');
  assert.equal(inCell.active, 0);

  // The panel: the two newest evaluations, the older (Careful) the baseline.
  await page.evaluate(
    (project) => window.jupyterapp.commands.execute('spyglass:compare-evaluations', { project }),
    PROJECT,
  );
  const shown = await waitFor(async () => {
    const state = await panelState(page);
    return state?.rows.length === 6 && state.bars === 4 ? state : null;
  }, 'the comparison panel');
  assert.equal(shown.notice, '');
  assert.equal(shown.picks.length, 2);
  assert.ok(shown.picks.every((p) => p.checked));
  assert.equal(shown.regressions, '2');
  assert.match(shown.counts, /6 examples: 2 regression, 4 same\. Baseline: capitals-eval · Careful\./);
  // Regressions first: the failed example (its scores count as 0), then the wrong answer; then the rest in order.
  assert.deepEqual(
    shown.rows.map((r) => [r.outcome, r.cells[1]]),
    [
      ['regression', '#4'],
      ['regression', '#2'],
      ['same', '#0'],
      ['same', '#1'],
      ['same', '#3'],
      ['same', '#5'],
    ],
  );
  assert.match(shown.rows[1].cells[4], /exact_match ✗ \(−1\) · close_enough 0\.2 \(−0\.8\)/);
  assert.match(shown.rows[0].cells[4], /^failed/);
  // Cost and latency per evaluation: 6 × $0.001 for Careful, 5 × $0.0002 for Sloppy (one failed before its call).
  assert.equal(shown.amounts.length, 2);
  assert.equal(shown.amounts[0][1], '0/6');
  assert.equal(shown.amounts[0][5], '$0.0060');
  assert.equal(shown.amounts[1][1], '1/6');
  assert.equal(shown.amounts[1][5], '$0.0010');
  assert.match(shown.amounts[0][2], /ms|s$/);
  assert.equal(shown.amounts[0][7], '72');
  // Bars follow the theme's text colour (light).
  assert.equal(shown.axisText, shown.fontColor);

  // A click on the wrong answer: both outputs side by side, the payload as text.
  await page.click(`${IN_MAIN} [data-spyglass-evals="${PROJECT}"] [data-spyglass-eval-example] >> nth=1`);
  const opened = await waitFor(async () => {
    const state = await panelState(page);
    return state?.outputs.length === 2 ? state : null;
  }, "the example's outputs");
  assert.match(opened.outputs[0], /city 2/);
  assert.ok(opened.outputs[1].includes(`${XSS[0]} ${XSS[2]}`), 'the hostile output is shown as text');
  assert.match(opened.detail, /capital 2/);
  await page.click(`${IN_MAIN} [data-spyglass-evals="${PROJECT}"] [data-spyglass-eval-example] >> nth=0`);
  const failed = await waitFor(async () => {
    const state = await panelState(page);
    return state?.outputs[1]?.includes('gave up') ? state : null;
  }, "the failed example's error");
  assert.ok(failed.outputs[1].includes(XSS[1]), 'the hostile error is shown as text');
  assert.equal(failed.active, 0, 'no element a payload could make active');

  // The filter, then the dark theme: the bars' text follows it.
  await page.selectOption(
    `${IN_MAIN} [data-spyglass-evals="${PROJECT}"] select[aria-label="examples"]`,
    'regression',
  );
  await waitFor(async () => (await panelState(page))?.rows.length === 2, 'the regression filter');
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' }),
  );
  const dark = await waitFor(async () => {
    const state = await panelState(page);
    return state?.theme === 'JupyterLab Dark' && state.bars === 4 && state.axisText === state.fontColor
      ? state
      : null;
  }, 'the dark theme applied to the chart');
  assert.notEqual(dark.fontColor, shown.fontColor);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
});

test('the published report draws the comparison from the store, regressions first, payloads inert', {
  timeout: 180_000,
}, async () => {
  const { page } = session.browser;
  await openNotebook(page, 'evals.ipynb');
  await page.evaluate(() => window.jupyterapp.commands.execute('spyglass:publish-report'));
  const report = join(session.lab.rootDir, 'evals.report.html');
  await waitFor(() => existsSync(report), 'the report file', 60_000);
  const opened = await openReportPage(session.browser, report);
  const shown = await waitFor(
    () =>
      opened.page.evaluate(() => {
        const plots = [...document.querySelectorAll('.sg-plot .sg-plot-chart')];
        const tables = [...document.querySelectorAll('section.sg-table')];
        const bars = plots.map((p) => p.querySelectorAll('[aria-roledescription="bar"]').length);
        if (bars.length === 0 || bars.some((n) => n === 0)) return null;
        const examples = tables.find((t) => t.textContent.includes('regressions first'));
        const rows = [...(examples?.querySelectorAll('tbody tr') ?? [])].map((row) =>
          [...row.querySelectorAll('td')].map((td) => td.textContent),
        );
        return {
          bars,
          rows,
          text: document.body.textContent,
          active: document.querySelectorAll('.sg-table :is(img, script, iframe, a), [onerror], [onload]')
            .length,
        };
      }),
    'the report drawn',
  );
  // One plot: the comparison's 2 scores × 2 evaluations (the first cell displays no summary).
  assert.deepEqual(shown.bars, [4]);
  assert.deepEqual(shown.rows.map((r) => [r[0], r[1]]).slice(0, 3), [
    ['regression', '4'],
    ['regression', '2'],
    ['same', '0'],
  ]);
  assert.ok(shown.text.includes(XSS[0]), 'the hostile output is text in the report');
  assert.equal(shown.active, 0);
  assert.equal(await opened.page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(
    opened.requests.filter((url) => !url.startsWith('file://')),
    [],
  );
  await opened.page.close();
});
