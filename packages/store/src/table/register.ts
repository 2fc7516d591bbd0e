import type { InsertOptions, SqlEngine } from '../engine.js';
import { sqlIdentifier } from '../sql-literal.js';
import { describeColumns, ROW_ID, type TableColumn } from './columns.js';
import { asTableQueryError, TableInputError } from './errors.js';
import { tableMessages } from './messages.js';
import type { ParquetCodec, ParquetDecoder } from './parquet-codec.js';

/**
 * Something the explorer can query: a relation (a view name) with its columns and row count. Registered table
 * versions, compare results and the like are all sources, so sort, filter, group, export work on each.
 */
export interface TableSource {
  /** An SQL relation: a quoted view name. */
  relation: string;
  columns: TableColumn[];
  nrows: number;
  /** What to drop when the source is released (views and tables, in order). */
  owned: string[];
  /** Where its Parquet was decoded (unset for Arrow and derived sources). */
  decoder?: ParquetDecoder;
}

// Every registration gets its own names, so several outputs share one engine.
let registered = 0;

async function run(engine: SqlEngine, sql: string): Promise<void> {
  try {
    await engine.query(sql);
  } catch (error) {
    throw asTableQueryError(error, sql);
  }
}

/** The table's view: every column plus its stable row position (DuckDB keeps insertion order in `rowid`). */
async function createView(engine: SqlEngine, data: string, view: string): Promise<TableSource> {
  await run(
    engine,
    `CREATE VIEW ${sqlIdentifier(view)} AS SELECT rowid AS ${sqlIdentifier(ROW_ID)}, * FROM ${sqlIdentifier(data)}`,
  );
  const relation = sqlIdentifier(view);
  const columns = await describeColumns(engine, relation);
  const count = await engine.query(`SELECT count(*)::BIGINT AS n FROM ${relation}`);
  return { relation, columns, nrows: Number(count.getChild('n')?.get(0) ?? 0), owned: [view, data] };
}

/**
 * Registers one table version from Parquet bytes: decoded to Arrow (parquet-wasm, off the calling thread when the
 * codec can) and stored once in a DuckDB table behind a view; the decoded stream is garbage once ingested. The
 * bytes belong to the codec afterwards (a worker codec transfers their buffer).
 */
export async function registerParquet(
  engine: SqlEngine,
  bytes: Uint8Array,
  codec: ParquetCodec,
): Promise<TableSource> {
  let ipc: Uint8Array;
  try {
    ipc = codec.toArrowIPCAsync ? await codec.toArrowIPCAsync(bytes) : codec.toArrowIPC(bytes);
  } catch (cause) {
    throw new TableInputError(
      tableMessages.badParquet(cause instanceof Error ? cause.message : String(cause)),
      { cause },
    );
  }
  // The decoded stream is ours alone: DuckDB's worker may take its buffer without a copy.
  const source = await registerArrowIPC(engine, ipc, { handOver: true });
  return { ...source, decoder: codec.decoder ?? 'main-thread' };
}

/** Registers one table version from an Arrow IPC stream (an inline table), copied once into DuckDB. */
export async function registerArrowIPC(
  engine: SqlEngine,
  ipc: Uint8Array,
  options: InsertOptions = {},
): Promise<TableSource> {
  const id = registered++;
  const data = `spyglass_table_${id}_data`;
  const bytes = ipc.byteLength; // read before a hand-over detaches it
  try {
    await engine.insertArrowIPC(data, ipc, options);
  } catch (error) {
    throw asTableQueryError(error, `-- Arrow IPC stream of ${bytes} bytes`);
  }
  return createView(engine, data, `spyglass_table_${id}`);
}

/**
 * Materialises any SELECT (e.g. a compare of two versions) as a source: rows are stored once in display order, so
 * paging through them stays a cheap range scan.
 */
export async function createMaterializedSource(
  engine: SqlEngine,
  select: string,
  label: string,
): Promise<TableSource> {
  const id = registered++;
  const data = `spyglass_${label}_${id}_data`;
  await run(engine, `CREATE TABLE ${sqlIdentifier(data)} AS ${select}`);
  return createView(engine, data, `spyglass_${label}_${id}`);
}

/** Drops the views and tables of a source (derived sources first: they depend on the tables). */
export async function releaseSource(engine: SqlEngine, source: TableSource): Promise<void> {
  for (const name of source.owned) {
    const isData = name.endsWith('_data');
    await engine
      .query(`DROP ${isData ? 'TABLE' : 'VIEW'} IF EXISTS ${sqlIdentifier(name)}`)
      .catch(() => undefined);
  }
}
