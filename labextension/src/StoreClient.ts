import { ServerConnection } from '@jupyterlab/services';
import type { Stream } from '@spyglass/protocol';
import { StoreRequestError } from './errors.js';

const API = 'spyglass/api/v1';

/** The actions POST /sweep/control accepts. */
export type SweepControlAction = 'pause' | 'resume' | 'stop' | 'stop_trial';

/** Reads runs the page did not see live from the Spyglass server extension (the run store is the truth). */
export class StoreClient {
  constructor(private readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  /** run.json of a run directory. */
  async runMetadata(runDir: string): Promise<Record<string, unknown>> {
    const response = await this.get('run', { run_dir: runDir });
    return (await response.json()) as Record<string, unknown>;
  }

  /** A framed-log slice of a stream: the file header and every stored frame with seq > afterSeq. */
  async history(runDir: string, afterSeq: number, stream: Stream = 'history'): Promise<Uint8Array> {
    const params: Record<string, string> = { run_dir: runDir, after_seq: String(afterSeq) };
    // History requests stay as a 1.0 server expects them.
    if (stream !== 'history') params.stream = stream;
    const response = await this.get('history', params);
    return new Uint8Array(await response.arrayBuffer());
  }

  /** The current snapshot of a sweep (validated by the caller with parseSweepSnapshot). */
  async sweepSnapshot(sweepDir: string): Promise<unknown> {
    const response = await this.get('sweep', { sweep_dir: sweepDir });
    return response.json();
  }

  /** Pauses, resumes or stops a sweep, or stops one trial; answers the sweep's state afterwards. */
  async sweepControl(
    sweepDir: string,
    action: SweepControlAction,
    trial?: number,
  ): Promise<{ state: string }> {
    const body: Record<string, unknown> = { sweep_dir: sweepDir, action };
    if (trial !== undefined) body.trial = trial;
    const response = await this.post('sweep/control', body);
    return (await response.json()) as { state: string };
  }

  /** Builds `<notebook>.report.html` beside a saved notebook (path relative to the server root); answers its path. */
  async publishReport(notebookPath: string): Promise<{ path: string; size: number }> {
    const response = await this.post('report', { path: notebookPath });
    return (await response.json()) as { path: string; size: number };
  }

  private async post(endpoint: string, body: Record<string, unknown>): Promise<Response> {
    const url = new URL(`${API}/${endpoint}`, this.settings.baseUrl);
    const init = {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
    };
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url.href, init, this.settings);
    } catch (cause) {
      throw new StoreRequestError(url.pathname, 0, String(cause), { cause, method: 'POST' });
    }
    if (!response.ok)
      throw new StoreRequestError(url.pathname, response.status, await errorDetail(response), {
        method: 'POST',
      });
    return response;
  }

  /**
   * The lineage graph of a project: `depth` hops around `focus`, or the whole project (capped, `truncated`) when
   * no focus is given. Validated by the caller with parseLineageGraph.
   */
  async lineage(storeRoot: string, project: string, focus?: string, depth?: number): Promise<unknown> {
    const params: Record<string, string> = { store_root: storeRoot, project };
    if (focus !== undefined) params.focus = focus;
    if (depth !== undefined) params.depth = String(depth);
    const response = await this.get('lineage', params);
    return response.json();
  }

  /**
   * One file under media/ of a run directory (a table's Parquet, an image), read with the server's auth; reports
   * bytes received so far (and the total when the server sends Content-Length).
   */
  async file(
    runDir: string,
    path: string,
    onProgress?: (done: number, total: number | null) => void,
  ): Promise<Uint8Array> {
    const response = await this.get('file', { run_dir: runDir, path });
    const total = Number(response.headers.get('Content-Length')) || null;
    if (!response.body || !onProgress) return new Uint8Array(await response.arrayBuffer());
    const reader = response.body.getReader();
    const parts: Uint8Array[] = [];
    let done = 0;
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      parts.push(chunk.value);
      done += chunk.value.byteLength;
      onProgress(done, total);
    }
    const bytes = new Uint8Array(done);
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.byteLength;
    }
    return bytes;
  }

  /** A media file as a Blob typed by the server's Content-Type (for blob URLs of images and audio). */
  async fileBlob(runDir: string, path: string): Promise<Blob> {
    const response = await this.get('file', { run_dir: runDir, path });
    return response.blob();
  }

  private async get(endpoint: string, params: Record<string, string>): Promise<Response> {
    const url = new URL(`${API}/${endpoint}`, this.settings.baseUrl);
    url.search = new URLSearchParams(params).toString();
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url.href, { method: 'GET' }, this.settings);
    } catch (cause) {
      throw new StoreRequestError(url.pathname, 0, String(cause), { cause });
    }
    if (!response.ok) throw new StoreRequestError(url.pathname, response.status, await errorDetail(response));
    return response;
  }
}

/** The server extension answers errors as JSON {"error": "..."}; fall back to the status text. */
async function errorDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON: use the status line
  }
  return response.statusText || 'no detail';
}
