/** Base class of every error the lineage package throws. */
export class LineageError extends Error {
  override name = 'LineageError';
}

/** The graph has a cycle, so it is not a lineage (runs and artifact versions only ever point forward in time). */
export class LineageCycleError extends LineageError {
  override name = 'LineageCycleError';
  constructor(readonly cycle: readonly string[]) {
    super(
      `The lineage graph has a cycle (${cycle.join(' → ')}); lineage edges must point forward in time, ` +
        'so the store holds an inconsistent record.',
    );
  }
}

/** A node id the graph does not hold. */
export class UnknownNodeError extends LineageError {
  override name = 'UnknownNodeError';
  constructor(readonly id: string) {
    super(`The lineage graph has no node ${JSON.stringify(id)}.`);
  }
}
