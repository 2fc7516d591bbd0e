import type { RunListing, WorkspaceRun } from '@spyglass/protocol';
import { RecordBatch, Schema, Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import type {
  MetricRequest,
  MetricResponse,
  WindowRequest,
  WorkspaceSource,
} from '../../src/workspace/data.js';
import { framedLog } from './framed-log-writer.js';
import { historyIPC } from './history-batch.js';

/** An M4 row's columns after its bucket key, in the servers' order. */
const M4_COLUMNS = 'x_first y_first x_last y_last x_min y_min x_max y_max y_sum n'.split(' ');

/** One run of the fake store: its rows (step, wall) and metric columns; `frames` when it is live. */
export interface FakeRun {
  run_id: string;
  state?: string;
  steps: number[];
  metrics: Record<string, number[]>;
  wall?: number[];
  /** Rows appended by the test to a running run; each call of appendRows becomes one frame. */
  frames?: Uint8Array[];
  damaged?: string | null;
}

/** A WorkspaceSource over runs held in memory, answering as the server's endpoints do. */
export class FakeSource implements WorkspaceSource {
  readonly runs = new Map<string, FakeRun>();
  metricCalls: MetricRequest[] = [];
  /** Answer `overviewBuckets` requests with an overview level, as the server does (else rows, as a plain source). */
  overviews = false;
  /** Resolved by the test to let the rows answer (after an overview) arrive. */
  rowsGate: Promise<void> = Promise.resolve();
  /** Set by answerWindows(): the server's /metric_window, written out independently (brute force per bucket). */
  window?: (request: WindowRequest) => Promise<Uint8Array>;
  windowCalls: WindowRequest[] = [];

  /** Answers overviews and zoom windows, as the server does for a metric the page keeps on it. */
  answerWindows(): this {
    this.overviews = true;
    this.window = async (request) => {
      this.windowCalls.push(request);
      return this.windowAnswer(request);
    };
    return this;
  }

  private windowAnswer(request: WindowRequest): Uint8Array {
    const names = ['run', 'q', ...M4_COLUMNS];
    const cols: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (const [asked, id] of request.runIds.entries()) {
      const r = this.runs.get(id);
      const values = r?.metrics[request.metric];
      if (!r || !values) continue;
      const walls = values.map((_, i) => r.wall?.[i] ?? 1_764_280_000 + r.steps[i] / 10);
      const start = Math.min(...walls);
      const xOf = (i: number) =>
        request.axis === 'step'
          ? r.steps[i]
          : request.axis === 'x'
            ? (r.metrics[request.xMetric as string]?.[i] ?? Number.NaN)
            : walls[i] - (request.axis === 'relative' ? start : 0);
      const byBucket = new Map<number, number[][]>();
      values.forEach((v, i) => {
        const x = xOf(i);
        if (!Number.isFinite(v) || !Number.isFinite(x)) return;
        let q: number;
        if (request.level !== undefined) {
          const unit = 2 ** request.level;
          if (x < Math.ceil(request.lo) || x > Math.floor(request.hi)) return;
          q = Math.floor(x / unit) - Math.floor(Math.ceil(request.lo) / unit);
        } else {
          const inside =
            request.axis === 'step'
              ? x >= Math.floor(request.lo) && x <= Math.ceil(request.hi)
              : x >= request.lo && x <= request.hi;
          if (!inside) return;
          const span = Math.max(request.hi - request.lo, Number.MIN_VALUE);
          const n = request.buckets as number;
          q = Math.min(n - 1, Math.max(0, Math.floor(((x - request.lo) * n) / span)));
        }
        const bucket = byBucket.get(q);
        if (bucket) bucket.push([x, v]);
        else byBucket.set(q, [[x, v]]);
      });
      for (const [q, unsorted] of [...byBucket].sort((a, b) => a[0] - b[0])) {
        const pts = unsorted.sort((a, b) => a[0] - b[0]);
        const low = pts.reduce((a, p) => (p[1] < a[1] ? p : a));
        const high = pts.reduce((a, p) => (p[1] > a[1] ? p : a));
        const sum = pts.reduce((a, p) => a + p[1], 0);
        const row = [asked, q, ...pts[0], ...pts[pts.length - 1], ...low, ...high, sum, pts.length];
        for (const [i, n] of names.entries()) cols[n].push(row[i]);
      }
    }
    const table = tableFromArrays({
      run: Int32Array.from(cols.run),
      ...Object.fromEntries(names.slice(1).map((n) => [n, Float64Array.from(cols[n])])),
    });
    return tableToIPC(table, 'stream');
  }

  /** Answers overviews, and holds the rows back until the returned function is called. */
  holdRows(): () => void {
    this.overviews = true;
    let open: () => void = () => undefined;
    this.rowsGate = new Promise<void>((resolve) => {
      open = resolve;
    });
    return () => open();
  }

  add(run: FakeRun): this {
    this.runs.set(run.run_id, { state: 'finished', frames: [], ...run });
    return this;
  }

  /** Logs rows to a running run: they land in its "framed log" as one new frame. */
  appendRows(runId: string, steps: number[], metrics: Record<string, number[]>): void {
    const run = this.runs.get(runId) as FakeRun;
    run.steps.push(...steps);
    for (const [name, values] of Object.entries(metrics)) {
      run.metrics[name] = [...(run.metrics[name] ?? []), ...values];
    }
    run.frames?.push(historyIPC(steps, metrics));
  }

  async listRuns(): Promise<RunListing> {
    const runs: WorkspaceRun[] = [...this.runs.values()].map((r) => ({
      run_dir: `/store/p/${r.run_id}`,
      run_id: r.run_id,
      name: r.run_id,
      state: r.state ?? 'finished',
      created_at: 1_764_280_000,
      duration: 10,
      tags: [],
      group: null,
      job_type: null,
      config: {},
      summary: {},
      metrics: Object.keys(r.metrics).sort(),
      damaged: r.damaged ?? null,
    }));
    return { runs, projects: ['p'] };
  }

  async metric(request: MetricRequest): Promise<MetricResponse> {
    this.metricCalls.push(request);
    if (request.overviewBuckets && this.overviews && request.overviewAxis && request.overviewAxis !== 'step')
      return this.axisOverview(request);
    if (request.overviewBuckets && this.overviews)
      return this.overview(request.metric, request.overviewBuckets);
    if (this.overviews) await this.rowsGate;
    const ids = request.runIds.length ? request.runIds : [...this.runs.keys()];
    const run: number[] = [];
    const step: bigint[] = [];
    const wall: number[] = [];
    const value: number[] = [];
    const x: number[] = [];
    const runIds: string[] = [];
    const cursors: Record<string, number> = {};
    for (const id of ids) {
      const r = this.runs.get(id);
      if (!r) continue;
      if (r.state === 'running') cursors[id] = (r.frames?.length ?? 0) - 1;
      const values = r.metrics[request.metric];
      if (!values) continue;
      const index = runIds.push(id) - 1;
      values.forEach((v, i) => {
        run.push(index);
        step.push(BigInt(r.steps[i]));
        wall.push(r.wall?.[i] ?? 1_764_280_000 + r.steps[i] / 10);
        value.push(v);
        x.push(request.xMetric ? (r.metrics[request.xMetric]?.[i] ?? Number.NaN) : 0);
      });
    }
    const columns: Record<string, Int32Array | BigInt64Array | Float64Array> = {
      run: Int32Array.from(run),
      step: BigInt64Array.from(step),
      wall: Float64Array.from(wall),
      value: Float64Array.from(value),
    };
    if (request.xMetric) columns.x = Float64Array.from(x);
    const plain = tableFromArrays(columns);
    const meta = JSON.stringify({ run_ids: runIds, cursors, skipped: {} });
    const schema = new Schema(plain.schema.fields, new Map([['spyglass', meta]]));
    const table = new Table(
      schema,
      plain.batches.map((b) => new RecordBatch(schema, b.data)),
    );
    return { ipc: tableToIPC(table, 'stream'), runIds, cursors, skipped: {}, rows: value.length };
  }

  /** The server's overview (workspace_data/overview.py), written out independently: one M4 level per run. */
  private overview(metric: string, buckets: number): MetricResponse {
    const runIds: string[] = [];
    const stats: Record<string, { rows: number; finite: number; max_step: number }> = {};
    let maxStep = 0;
    for (const r of this.runs.values()) if (r.metrics[metric]) maxStep = Math.max(maxStep, ...r.steps);
    const maxLevel = Math.max(3, (maxStep || 1).toString(2).length);
    const level = Math.min(maxLevel, Math.max(3, Math.ceil(Math.log2(Math.max((maxStep + 1) / buckets, 1)))));
    const cols: Record<string, number[]> = {};
    const names = ['lvl', 'run', 'b', ...M4_COLUMNS];
    for (const n of names) cols[n] = [];
    for (const r of this.runs.values()) {
      const values = r.metrics[metric];
      if (!values) continue;
      const run = runIds.push(r.run_id) - 1;
      const finite = values.map((v, i) => [r.steps[i], v]).filter(([, v]) => Number.isFinite(v));
      stats[r.run_id] = { rows: values.length, finite: finite.length, max_step: Math.max(0, ...r.steps) };
      const byBucket = new Map<number, number[][]>();
      for (const p of finite) {
        const b = Math.floor(p[0] / 2 ** level);
        byBucket.set(b, [...(byBucket.get(b) ?? []), p]);
      }
      for (const [b, pts] of byBucket) {
        const low = pts.reduce((a, p) => (p[1] < a[1] ? p : a));
        const high = pts.reduce((a, p) => (p[1] > a[1] ? p : a));
        const row = [
          level,
          run,
          b,
          ...pts[0],
          ...pts[pts.length - 1],
          ...low,
          ...high,
          pts.reduce((a, p) => a + p[1], 0),
          pts.length,
        ];
        for (const [i, n] of names.entries()) cols[n].push(row[i]);
      }
    }
    const int64 = (xs: number[]) => BigInt64Array.from(xs, (x) => BigInt(x));
    const plain = tableFromArrays({
      lvl: Int32Array.from(cols.lvl),
      run: Int32Array.from(cols.run),
      b: int64(cols.b),
      x_first: int64(cols.x_first),
      y_first: Float64Array.from(cols.y_first),
      x_last: int64(cols.x_last),
      y_last: Float64Array.from(cols.y_last),
      x_min: int64(cols.x_min),
      y_min: Float64Array.from(cols.y_min),
      x_max: int64(cols.x_max),
      y_max: Float64Array.from(cols.y_max),
      y_sum: Float64Array.from(cols.y_sum),
      n: int64(cols.n),
    });
    // As the server's: the framed-log seq of each running run, so the page knows which runs to tail.
    const cursors: Record<string, number> = {};
    for (const r of this.runs.values())
      if (r.state === 'running') cursors[r.run_id] = (r.frames?.length ?? 0) - 1;
    return overviewAnswer(plain, runIds, { overview: { level, maxLevel, stats }, cursors });
  }

  /** The server's overview on a non-step axis (workspace_data/overview.py), written out independently: plain M4. */
  private axisOverview(request: MetricRequest): MetricResponse {
    const { metric, overviewAxis: axis, xMetric } = request;
    const buckets = request.overviewBuckets as number;
    const runIds: string[] = [];
    const perRun: number[][][] = [];
    const stats: Record<string, { rows: number; finite: number; max_step: number }> = {};
    for (const r of this.runs.values()) {
      const values = r.metrics[metric];
      if (!values) continue;
      runIds.push(r.run_id);
      const finite = values.filter(Number.isFinite).length;
      stats[r.run_id] = { rows: values.length, finite, max_step: Math.max(0, ...r.steps) };
      const walls = values.map((_, i) => r.wall?.[i] ?? 1_764_280_000 + r.steps[i] / 10);
      const start = Math.min(...walls);
      const xs = values.map((_, i) =>
        axis === 'x'
          ? (r.metrics[xMetric as string]?.[i] ?? Number.NaN)
          : walls[i] - (axis === 'relative' ? start : 0),
      );
      const points = values
        .map((v, i) => [xs[i], v])
        .filter(([x, v]) => Number.isFinite(x) && Number.isFinite(v));
      perRun.push(points.sort((a, b) => a[0] - b[0]));
    }
    const all = perRun.flat();
    const x0 = all.length ? Math.min(...all.map((p) => p[0])) : 0;
    const x1 = all.length ? Math.max(...all.map((p) => p[0])) : 0;
    const span = Math.max(x1 - x0, Number.MIN_VALUE);
    const names = ['run', 'q', ...M4_COLUMNS];
    const cols: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (const [run, points] of perRun.entries()) {
      const byBucket = new Map<number, number[][]>();
      for (const p of points) {
        const q = Math.min(buckets - 1, Math.max(0, Math.floor(((p[0] - x0) * buckets) / span)));
        byBucket.set(q, [...(byBucket.get(q) ?? []), p]);
      }
      for (const [q, pts] of byBucket) {
        const low = pts.reduce((a, p) => (p[1] < a[1] ? p : a));
        const high = pts.reduce((a, p) => (p[1] > a[1] ? p : a));
        const row = [run, q, ...pts[0], ...pts[pts.length - 1], ...low, ...high];
        row.push(
          pts.reduce((a, p) => a + p[1], 0),
          pts.length,
        );
        for (const [i, n] of names.entries()) cols[n].push(row[i]);
      }
    }
    const plain = tableFromArrays({
      run: Int32Array.from(cols.run),
      q: Int32Array.from(cols.q),
      ...Object.fromEntries(names.slice(2, -1).map((n) => [n, Float64Array.from(cols[n])])),
      n: BigInt64Array.from(cols.n, (x) => BigInt(x)),
    });
    const axisOverview = { axis: axis as NonNullable<MetricRequest['overviewAxis']>, x0, x1, buckets, stats };
    return overviewAnswer(plain, runIds, { axisOverview });
  }

  async history(runDir: string, afterSeq: number): Promise<Uint8Array> {
    const id = runDir.split('/').pop() as string;
    const frames = this.runs.get(id)?.frames ?? [];
    const firstSeq = afterSeq + 1;
    return framedLog(frames.slice(firstSeq), firstSeq);
  }
}

/** An overview answer as the server sends it: the rows of `table`, no live cursors, nothing skipped. */
function overviewAnswer(table: Table, runIds: string[], extra: Partial<MetricResponse>): MetricResponse {
  return {
    ipc: tableToIPC(table, 'stream'),
    runIds,
    cursors: {},
    skipped: {},
    rows: table.numRows,
    ...extra,
  };
}
