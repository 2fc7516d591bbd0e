/** User-facing texts of the table query layer (shown in the explorer next to the box that caused them). */
export const tableMessages = {
  semicolon: 'Use a single expression without ";" (the explorer runs it inside its own query).',
  unbalanced: 'The parentheses do not match.',
  unterminated: (quote: string) => `A ${quote} is opened but never closed.`,
  selectOnly: 'Only a SELECT query (or WITH ... SELECT) can run here; the table is called t.',
  noUrls: 'The table explorer reads only the table itself; URLs are refused.',
  unknownColumn: (name: string) => `There is no column named ${JSON.stringify(name)}.`,
  badNumber: (text: string) => `${JSON.stringify(text)} is not a number or range (try 3, >2, <=5, 1..10).`,
  noKey: (name: string) => `The key column ${JSON.stringify(name)} is not in both tables.`,
  badParquet: (detail: string) => `The table file is not readable Parquet: ${detail}`,
} as const;
