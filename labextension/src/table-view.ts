import { PanelLayout, Widget } from '@lumino/widgets';
import type { TableOutputData } from '@spyglass/protocol';
import type { RunHub } from '@spyglass/store';
import {
  type ParquetCodec,
  registerArrowIPC,
  registerParquet,
  releaseSource,
  type SqlEngine,
  type TableSource,
  tableVersions,
} from '@spyglass/store';
import {
  describeError,
  loadParquetCodec,
  TableExplorer,
  type TableExplorerOptions,
  TablePlot,
  type TableVersion,
  tableText,
} from '@spyglass/widgets';
import { parquetWasmUrl } from './parquet-assets.js';
import type { StoreClient } from './StoreClient.js';

/** Rows decoded first and shown while a larger table is ingested (Parquet row groups hold 64k rows). */
const PREVIEW_ROWS = 256;

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A TableExplorer over one table: a logged Parquet file through the file endpoint (with a progress line) or a
 * small unlogged table inline as Arrow; either is registered once in the page's DuckDB-WASM. Any failure is
 * shown as a message, never as a blank widget. The notebook output renderer and the workspace's table panel
 * both show tables through it.
 */
export class TableView extends Widget {
  private explorer: TableExplorer | null = null;
  private readonly owned: TableSource[] = [];
  private shownKey: string | null = null;
  private engine: SqlEngine | null = null;

  constructor(
    private readonly hub: RunHub,
    private readonly client: StoreClient,
  ) {
    super();
    this.addClass('jp-SpyglassTableOutput');
    this.layout = new PanelLayout();
  }

  /** Shows this table; the same table again (update_display_data) keeps the explorer as it is. */
  async display(data: TableOutputData): Promise<void> {
    const identity = `${data.run_dir}\n${data.path}\n${data.inline_arrow?.length ?? 0}`;
    if (identity === this.shownKey) return;
    this.shownKey = identity;
    this.showNotice(tableText.loading);
    try {
      await this.load(data);
    } catch (error) {
      if (this.isDisposed) return; // closed while loading: nothing to tell
      console.error('Spyglass: cannot show table', error);
      this.showNotice(tableText.loadFailed(describeError(error)));
    }
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.clear();
    this.releaseAll();
    super.dispose();
  }

  private async load(data: TableOutputData): Promise<void> {
    const started = performance.now();
    const [engine, codec] = await Promise.all([this.hub.tableEngine(), loadParquetCodec(parquetWasmUrl())]);
    if (this.isDisposed) return;
    this.engine = engine;
    let source: TableSource;
    if (data.run_dir && data.path) {
      const runDir = data.run_dir;
      const bytes = await this.client.file(runDir, data.path, (done, total) =>
        this.showNotice(tableText.loadingBytes(done, total)),
      );
      if (this.isDisposed) return;
      this.node.dataset.fetchedMs = String(Math.round(performance.now() - started));
      if (data.nrows > PREVIEW_ROWS) await this.showPreview(data, engine, codec, bytes, started);
      else this.showNotice(tableText.registering);
      // Let the preview paint: decoding the whole file holds the main thread for a moment.
      await new Promise((resolve) => setTimeout(resolve, 30));
      if (this.isDisposed) return;
      source = await registerParquet(engine, bytes, codec);
    } else {
      source = await registerArrowIPC(engine, base64Bytes(data.inline_arrow ?? ''));
    }
    this.owned.push(source);
    if (this.isDisposed) {
      this.releaseAll();
      return;
    }
    const options: TableExplorerOptions = {
      engine,
      source,
      codec,
      media: this.media(data),
      label: data.step !== null ? `step ${data.step}` : 'this',
      versions: data.run_dir && data.key ? () => this.versions(data, engine, codec) : undefined,
      fileName: (data.key ?? 'table').replace(/[^\w.-]+/g, '_'),
    };
    this.clear();
    // sg.plot outputs: the chart first, the table it draws below it.
    if (data.spec) (this.layout as PanelLayout).addWidget(new TablePlot(engine, source, data.spec));
    this.explorer = new TableExplorer(options);
    this.node.dataset.readyMs = String(Math.round(performance.now() - started));
    (this.layout as PanelLayout).addWidget(this.explorer);
  }

  /**
   * Shows the first rows of a large table at once (only the first row group is decoded); the full explorer
   * replaces this one when the whole table is ingested.
   */
  private async showPreview(
    data: TableOutputData,
    engine: SqlEngine,
    codec: ParquetCodec,
    bytes: Uint8Array,
    started: number,
  ): Promise<void> {
    let preview: TableSource;
    try {
      preview = await registerArrowIPC(engine, codec.toArrowIPC(bytes, { limit: PREVIEW_ROWS }));
    } catch {
      return; // the full table still loads; a failed preview only costs the early rows
    }
    this.owned.push(preview);
    if (this.isDisposed) {
      this.releaseAll();
      return;
    }
    this.clear();
    const explorer = new TableExplorer({
      engine,
      source: preview,
      codec,
      media: this.media(data),
      previewOf: data.nrows,
    });
    this.explorer = explorer;
    this.node.dataset.previewMs = String(Math.round(performance.now() - started));
    (this.layout as PanelLayout).addWidget(explorer);
  }

  private media(data: TableOutputData): TableExplorerOptions['media'] {
    return data.run_dir ? { fetch: (path) => this.client.fileBlob(data.run_dir as string, path) } : null;
  }

  /** Other logged versions of the same key (other steps), read from the run's history in the store. */
  private async versions(
    data: TableOutputData,
    engine: SqlEngine,
    codec: ParquetCodec,
  ): Promise<TableVersion[]> {
    const runDir = data.run_dir as string;
    const history = await this.client.history(runDir, -1);
    return tableVersions(history, data.key as string)
      .filter((v) => v.path !== data.path)
      .map((v) => ({
        label: `step ${v.step}`,
        load: async () => {
          const source = await registerParquet(engine, await this.client.file(runDir, v.path), codec);
          this.owned.push(source);
          return source;
        },
      }));
  }

  private releaseAll(): void {
    const engine = this.engine;
    if (!engine) return;
    for (const source of this.owned.splice(0)) void releaseSource(engine, source);
  }

  private clear(): void {
    const layout = this.layout as PanelLayout;
    for (const widget of [...layout.widgets]) widget.dispose();
    this.explorer = null;
  }

  /** Replaces the table with a line of text (loading, or why it cannot be shown). */
  showNotice(text: string): void {
    // A closed output has no layout left; a load that outlived it (progress, failure) has nothing to show.
    if (this.isDisposed) return;
    this.clear();
    const notice = new Widget();
    notice.addClass('jp-SpyglassTableOutput-notice');
    notice.node.textContent = text;
    (this.layout as PanelLayout).addWidget(notice);
  }
}
