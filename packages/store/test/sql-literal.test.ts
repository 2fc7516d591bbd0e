import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sqlIdentifier, sqlNumber, sqlString } from '../src/sql-literal.js';

test('identifiers are double-quoted with embedded quotes doubled', () => {
  assert.equal(sqlIdentifier(`it's "odd" / ok`), `"it's ""odd"" / ok"`);
});

test('strings are single-quoted with embedded quotes doubled and backslashes kept', () => {
  assert.equal(sqlString("x' OR '1'='1 \\"), "'x'' OR ''1''=''1 \\'");
});

test('numbers must be finite', () => {
  assert.equal(sqlNumber(-2.5), '-2.5');
  assert.equal(sqlNumber(12n), '12');
  assert.throws(() => sqlNumber(Number.NaN), RangeError);
  assert.throws(() => sqlNumber(Number.POSITIVE_INFINITY), RangeError);
});
