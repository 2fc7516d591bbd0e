import { ServerConnection } from '@jupyterlab/services';
import {
  type HistogramsAnswer,
  ProtocolError,
  parseHistogramsAnswer,
  parseRunListing,
  type RunListing,
} from '@spyglass/protocol';
import {
  type MetricRequest,
  type MetricResponse,
  parseMetricIPC,
  type WindowRequest,
  WorkspaceMemoryError,
  type WorkspaceSource,
  WorkspaceSourceError,
} from '@spyglass/store';
import { apiUrl, readBody, sendRequest } from './server-request.js';

/**
 * The workspace's data source: the run listing and per-metric Arrow streams of one (store root, project) from the
 * Spyglass server extension, and framed-log slices for the live tail (the same /history endpoint as StoreFollower).
 */
export class WorkspaceClient implements WorkspaceSource {
  constructor(
    private readonly storeRoot: string,
    private readonly project: string,
    private readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings(),
  ) {}

  async listRuns(): Promise<RunListing> {
    const response = await this.get('runs', this.params());
    return answer('runs', parseRunListing, await response.json());
  }

  async metric(request: MetricRequest): Promise<MetricResponse> {
    const params = this.params();
    params.append('metric', request.metric);
    for (const runId of request.runIds) params.append('run_id', runId);
    if (request.xMetric) params.append('x_metric', request.xMetric);
    if (request.overviewBuckets) params.append('overview_buckets', String(request.overviewBuckets));
    if (request.overviewAxis) params.append('overview_axis', request.overviewAxis);
    const response = await this.get('metric', params);
    const total = Number(response.headers.get('Content-Length')) || null;
    if (request.maxBytes !== undefined && total !== null && total > request.maxBytes) {
      await response.body?.cancel();
      throw new WorkspaceMemoryError(request.metric, total, request.maxBytes);
    }
    const ipc = await readBody(response, total, request.onProgress);
    return parseMetricIPC(ipc);
  }

  async history(runDir: string, afterSeq: number): Promise<Uint8Array> {
    const params = new URLSearchParams({ run_dir: runDir, after_seq: String(afterSeq) });
    const response = await this.get('history', params);
    return new Uint8Array(await response.arrayBuffer());
  }

  async histograms(metric: string, runIds: string[]): Promise<HistogramsAnswer> {
    const params = this.params();
    params.append('metric', metric);
    for (const runId of runIds) params.append('run_id', runId);
    const response = await this.get('histograms', params);
    return answer('histograms', parseHistogramsAnswer, await response.json());
  }

  /** A zoom window over runs the page does not hold, answered by the server's DuckDB (M4 buckets, Arrow IPC). */
  async window(request: WindowRequest): Promise<Uint8Array> {
    const url = apiUrl(this.settings, 'metric_window', this.params());
    const body = JSON.stringify({
      metric: request.metric,
      x_metric: request.xMetric ?? null,
      run_ids: request.runIds,
      axis: request.axis,
      lo: request.lo,
      hi: request.hi,
      ...(request.level !== undefined ? { level: request.level } : { buckets: request.buckets }),
    });
    const response = await sendRequest(this.settings, url, { method: 'POST', body }, (status, detail) => {
      return new WorkspaceSourceError('metric_window', status, detail);
    });
    return new Uint8Array(await response.arrayBuffer());
  }

  private params(): URLSearchParams {
    return new URLSearchParams({ store_root: this.storeRoot, project: this.project });
  }

  private async get(endpoint: string, params: URLSearchParams): Promise<Response> {
    const url = apiUrl(this.settings, endpoint, params);
    return sendRequest(this.settings, url, { method: 'GET' }, (status, detail) => {
      return new WorkspaceSourceError(endpoint, status, detail);
    });
  }
}

/** A server answer through its protocol guard; one of the wrong shape is the server's failure, named as such. */
function answer<T>(endpoint: string, parse: (value: unknown) => T, value: unknown): T {
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof ProtocolError) throw new WorkspaceSourceError(endpoint, 200, error.message);
    throw error;
  }
}
