import { button, el } from '../dom.js';
import { describeError } from '../errors.js';
import { cellText, parseSqlAnswer, SQL_EXAMPLE, type SqlAnswer, sqlSummary } from './call-sql.js';

/** Runs one read-only SELECT over the project's calls: POST /calls/sql (the labextension's TracesClient). */
export type SqlRunner = (sql: string) => Promise<unknown>;

/** Rows drawn of an answer (the server sends at most 1,000 by default). */
const ROWS_DRAWN = 1_000;

/**
 * The SQL box: a SELECT over the `calls` view (and `feedback`), run on the server, the answer as a table. Every
 * cell goes in as text (a model's output with markup in it stays characters).
 */
export class SqlView {
  readonly node: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly status: HTMLElement;
  private readonly table: HTMLTableElement;

  constructor(
    doc: Document,
    private readonly run: SqlRunner,
  ) {
    this.node = el(doc, 'details', 'jp-SpyglassTraces-sql');
    this.node.setAttribute('data-spyglass-sql', '');
    this.node.append(el(doc, 'summary', undefined, 'SQL over calls'));
    this.input = el(doc, 'textarea', 'jp-SpyglassTraces-sqlInput');
    this.input.setAttribute('aria-label', 'SQL');
    this.input.rows = 3;
    this.input.value = SQL_EXAMPLE;
    this.input.spellcheck = false;
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void this.submit();
    });
    const runButton = button(doc, 'Run', () => void this.submit(), 'jp-SpyglassTraces-pager');
    runButton.setAttribute('aria-label', 'run SQL');
    this.status = el(doc, 'span', 'jp-SpyglassTraces-range');
    this.status.setAttribute('data-spyglass-sql-status', '');
    this.table = el(doc, 'table', 'jp-SpyglassTraces-list');
    this.table.setAttribute('data-spyglass-sql-result', '');
    const bar = el(doc, 'div', 'jp-SpyglassTraces-toolbar');
    bar.append(runButton, this.status);
    const box = el(doc, 'div', 'jp-SpyglassTraces-listBox');
    box.append(this.table);
    this.node.append(this.input, bar, box);
  }

  /** Runs the SQL in the box; the answer (or the server's reason for refusing it) is shown. */
  async submit(): Promise<void> {
    this.status.textContent = 'running…';
    this.node.dataset.state = 'running';
    try {
      const answer = parseSqlAnswer(await this.run(this.input.value));
      this.draw(answer);
      this.status.textContent = sqlSummary(answer);
      this.node.dataset.state = 'done';
    } catch (error) {
      this.table.replaceChildren();
      this.status.textContent = describeError(error);
      this.node.dataset.state = 'error';
    }
  }

  private draw(answer: SqlAnswer): void {
    const doc = this.node.ownerDocument;
    const head = el(doc, 'thead');
    const headRow = el(doc, 'tr');
    for (const column of answer.columns) {
      const th = el(doc, 'th', undefined, column.name);
      th.title = column.type;
      headRow.append(th);
    }
    head.append(headRow);
    const body = el(doc, 'tbody');
    for (const row of answer.rows.slice(0, ROWS_DRAWN)) {
      const tr = el(doc, 'tr');
      for (let i = 0; i < answer.columns.length; i++) tr.append(el(doc, 'td', undefined, cellText(row[i])));
      body.append(tr);
    }
    this.table.replaceChildren(head, body);
  }
}
