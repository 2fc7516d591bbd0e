import { ServerConnection } from '@jupyterlab/services';
import type { Stream } from '@spyglass/protocol';
import { StoreRequestError } from './errors.js';
import { apiUrl, readBody, sendRequest } from './server-request.js';

/** One sweep as GET /sweeps lists it (`state` is the control state: running, paused or stopped). */
export interface SweepListing {
  id: string;
  name: string | null;
  state: string;
  created_at: number | null;
  sweep_dir: string;
}

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
    const url = apiUrl(this.settings, endpoint);
    const init = {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
    };
    return sendRequest(this.settings, url, init, (status, detail, options) => {
      return new StoreRequestError(url.pathname, status, detail, { ...options, method: 'POST' });
    });
  }

  /** The sweeps of a project, newest first (GET /sweeps), for the workspace's sweep picker. */
  async sweeps(storeRoot: string, project: string): Promise<SweepListing[]> {
    const response = await this.get('sweeps', { store_root: storeRoot, project });
    const body = (await response.json()) as { sweeps?: unknown };
    if (!Array.isArray(body.sweeps)) throw new Error('the sweeps endpoint answered without a list');
    return body.sweeps as SweepListing[];
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
    if (!onProgress) return new Uint8Array(await response.arrayBuffer());
    return readBody(response, total, onProgress);
  }

  /** A media file as a Blob typed by the server's Content-Type (for blob URLs of images and audio). */
  async fileBlob(runDir: string, path: string): Promise<Blob> {
    const response = await this.get('file', { run_dir: runDir, path });
    return response.blob();
  }

  private async get(endpoint: string, params: Record<string, string>): Promise<Response> {
    const url = apiUrl(this.settings, endpoint, params);
    return sendRequest(this.settings, url, { method: 'GET' }, (status, detail, options) => {
      return new StoreRequestError(url.pathname, status, detail, options);
    });
  }
}
