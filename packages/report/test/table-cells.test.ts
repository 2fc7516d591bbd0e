import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { messages } from '../src/messages.js';
import type { MediaItem } from '../src/report-data.js';
import { cellText, placeholderText, thumbnailSource } from '../src/table-cells.js';

const image = (src: string | null, note: string | null = null): MediaItem => ({
  kind: 'image',
  caption: '#3',
  src,
  note,
});

describe('table cells', () => {
  test('numbers show six significant digits, not the 16 digits of a double', () => {
    assert.equal(cellText(1 / 3), '0.333333');
    assert.equal(cellText(2000 / 3), '666.667');
    assert.equal(cellText(42), '42');
    assert.equal(cellText(1.5e-7), '1.5e-7');
    assert.equal(cellText(null), '');
    assert.equal(cellText('0.1234567890123'), '0.1234567890123'); // text stays as logged
  });

  test('a media cell reads as its captions, with the count of items not shown', () => {
    assert.equal(cellText({ media: [image('data:image/png;base64,AAAA'), image(null)], more: 0 }), '#3 #3');
    assert.equal(cellText({ media: [{ ...image(null), caption: null }], more: 2 }), 'image +2 more');
  });

  test('only base64 raster data URIs are thumbnail sources', () => {
    assert.equal(
      thumbnailSource(image('data:image/jpeg;base64,/9j/4AA=')),
      'data:image/jpeg;base64,/9j/4AA=',
    );
    for (const src of [
      'data:image/svg+xml;base64,PHN2Zz4=',
      'https://example.com/a.png',
      'data:image/png;base64,AA"onerror="x',
      'javascript:alert(1)',
    ]) {
      assert.equal(thumbnailSource(image(src)), null, src);
    }
  });

  test('a placeholder names the caption and why the image is left out', () => {
    assert.equal(
      placeholderText(image(null, 'image left out: budget used up')),
      '#3 (image left out: budget used up)',
    );
    assert.equal(
      placeholderText({ kind: 'audio', caption: null, src: null, note: null }),
      messages.mediaLeftOut('audio'),
    );
  });
});
