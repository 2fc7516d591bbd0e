import {
  type CompareOptions,
  compareTables,
  releaseSource,
  type SqlEngine,
  type TableSource,
} from '@spyglass/store';

/** Another version of the same table (another step or run) the explorer can compare against. */
export interface TableVersion {
  label: string;
  load(): Promise<TableSource>;
}

/**
 * The explorer's compare mode: the versions on offer, and the compare table joined from the base table and one of
 * them. It owns that table: joining another one or closing the explorer releases it.
 */
export class TableCompare {
  private versions: TableVersion[] = [];
  private compared: TableSource | null = null;

  constructor(
    private readonly engine: SqlEngine,
    private readonly base: TableSource,
    private readonly listVersions: (() => Promise<TableVersion[]>) | undefined,
  ) {}

  /** Lists the versions to compare with and returns their labels; null when the table has no others. */
  async list(): Promise<string[] | null> {
    if (!this.listVersions) return null;
    this.versions = await this.listVersions();
    return this.versions.map((v) => v.label);
  }

  /** A version by its index in the last list. */
  version(index: number): TableVersion | undefined {
    return this.versions[index];
  }

  /** Joins the base table with `other` into the compare table, which is the explorer's source until released. */
  async join(other: TableSource, options: CompareOptions): Promise<TableSource> {
    this.compared = await compareTables(this.engine, this.base, other, options);
    return this.compared;
  }

  async release(): Promise<void> {
    if (this.compared) {
      await releaseSource(this.engine, this.compared);
      this.compared = null;
    }
  }

  dispose(): void {
    if (this.compared) void releaseSource(this.engine, this.compared);
  }
}
