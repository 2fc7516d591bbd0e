import { ServerConnection } from '@jupyterlab/services';
import {
  type MetricRequest,
  type MetricResponse,
  parseMetricIPC,
  type RunListing,
  WorkspaceMemoryError,
  type WorkspaceSource,
  WorkspaceSourceError,
} from '@spyglass/store';

const API = 'spyglass/api/v1';

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
    return (await response.json()) as RunListing;
  }

  async metric(request: MetricRequest): Promise<MetricResponse> {
    const params = this.params();
    params.append('metric', request.metric);
    for (const runId of request.runIds) params.append('run_id', runId);
    if (request.xMetric) params.append('x_metric', request.xMetric);
    if (request.overviewBuckets) params.append('overview_buckets', String(request.overviewBuckets));
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

  private params(): URLSearchParams {
    return new URLSearchParams({ store_root: this.storeRoot, project: this.project });
  }

  private async get(endpoint: string, params: URLSearchParams): Promise<Response> {
    const url = new URL(`${API}/${endpoint}`, this.settings.baseUrl);
    url.search = params.toString();
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url.href, { method: 'GET' }, this.settings);
    } catch (cause) {
      throw new WorkspaceSourceError(endpoint, 0, String(cause));
    }
    if (!response.ok) throw new WorkspaceSourceError(endpoint, response.status, await errorDetail(response));
    return response;
  }
}

/** Reads a response body in chunks, reporting progress, into one buffer (sized up front when the length is known). */
async function readBody(
  response: Response,
  total: number | null,
  onProgress?: (loaded: number, total: number | null) => void,
): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let out = total !== null ? new Uint8Array(total) : null;
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (out && loaded + value.byteLength <= out.byteLength) out.set(value, loaded);
    else {
      if (out) chunks.push(out.subarray(0, loaded));
      out = null;
      chunks.push(value);
    }
    loaded += value.byteLength;
    onProgress?.(loaded, total);
  }
  if (out) return loaded === out.byteLength ? out : out.slice(0, loaded);
  const joined = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.byteLength;
  }
  return joined;
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
