import type { ColumnKind, RunColumn } from './run-columns.js';

/** The group a header cell sits under: run fields, config keys or summary metrics. */
export const HEADER_GROUP_LABELS: Readonly<Record<ColumnKind, string>> = {
  run: 'Run',
  config: 'Config',
  summary: 'Summary',
};

/** One cell of the runs table's group row, spanning `span` columns from the visible column `start`. */
export interface HeaderBand {
  kind: ColumnKind;
  label: string;
  start: number;
  span: number;
}

/**
 * The group row above the column labels: one band per run of adjacent columns of the same kind, so `lr` under
 * "Config" and `lr` under "Summary" read apart. A user who moves columns may split a kind into several bands.
 */
export function headerBands(columns: readonly RunColumn[]): HeaderBand[] {
  const bands: HeaderBand[] = [];
  columns.forEach((column, index) => {
    const last = bands.at(-1);
    if (last && last.kind === column.kind) last.span++;
    else bands.push({ kind: column.kind, label: HEADER_GROUP_LABELS[column.kind], start: index, span: 1 });
  });
  return bands;
}

/** The name a screen reader gives a header cell: the label with its group ("Config lr", "Summary lr"). */
export function headerAccessibleName(column: RunColumn): string {
  return column.kind === 'run' ? column.label : `${HEADER_GROUP_LABELS[column.kind]} ${column.label}`;
}
