import { TableInputError } from './errors.js';
import { tableMessages } from './messages.js';

/**
 * Scans user SQL the way DuckDB's lexer would for strings ('..'), quoted identifiers ("..") and comments, and
 * refuses what would let the text escape the subquery it is placed in: `;`, unbalanced parentheses, unterminated
 * strings or comments. Returns the string literals found (for the network check).
 */
function scan(text: string): string[] {
  const literals: string[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new TableInputError(tableMessages.unterminated(c));
        if (text[j] === c) {
          if (text[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      if (c === "'") literals.push(text.slice(i + 1, j));
      i = j;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new TableInputError(tableMessages.unterminated('/*'));
      i = end + 1;
    } else if (c === ';') {
      throw new TableInputError(tableMessages.semicolon);
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth < 0) throw new TableInputError(tableMessages.unbalanced);
    }
  }
  if (depth !== 0) throw new TableInputError(tableMessages.unbalanced);
  return literals;
}

function refuseUrls(literals: string[]): void {
  // DuckDB-WASM would fetch http(s) URLs named in read_parquet() & co.; the explorer reads nothing remote.
  if (literals.some((l) => /^[a-z][a-z0-9+.-]*:\/\//i.test(l.trim())))
    throw new TableInputError(tableMessages.noUrls);
}

/**
 * A WHERE condition as the explorer will run it: one expression, wrapped in parentheses (and a newline, so a
 * trailing `--` comment cannot swallow the closing parenthesis). Empty text means no condition (null).
 */
export function whereCondition(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  refuseUrls(scan(trimmed));
  return `(${trimmed}\n)`;
}

/**
 * A SELECT over the table (named `t` in it) as a parenthesised subquery. One statement only; a single trailing
 * `;` is tolerated. Returns null for empty text.
 */
export function selectStatement(text: string): string | null {
  const trimmed = text.trim().replace(/;\s*$/, '');
  if (trimmed === '') return null;
  refuseUrls(scan(trimmed));
  if (!/^(select|with|from|values|\()/i.test(trimmed)) throw new TableInputError(tableMessages.selectOnly);
  return `(${trimmed}\n)`;
}
