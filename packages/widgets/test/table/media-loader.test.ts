import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BlobHolder, BlobUrlCache } from '../../src/table/media-loader.js';

/** An <img> as the cache sees it: on the page or not, loading or done, firing load/error. */
class FakeImage extends EventTarget implements BlobHolder {
  isConnected = true;
  complete = true;
  src = '';
}

const loader = { fetch: async (path: string) => new Blob([path], { type: 'image/png' }) };

/** Records the URLs revoked while `body` runs (the real revoke still happens). */
async function revokedDuring(body: (revoked: string[]) => Promise<void>): Promise<string[]> {
  const revoked: string[] = [];
  const original = URL.revokeObjectURL;
  URL.revokeObjectURL = (url: string) => {
    revoked.push(url);
    original(url);
  };
  try {
    await body(revoked);
  } finally {
    URL.revokeObjectURL = original;
  }
  return revoked;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('past capacity the least recently used URL no element shows is revoked', async () => {
  const cache = new BlobUrlCache(loader, 2);
  await revokedDuring(async (revoked) => {
    const a = await cache.url('media/a.png');
    const b = await cache.url('media/b.png');
    assert.equal(await cache.url('media/a.png'), a); // a is now the most recent
    await cache.url('media/c.png');
    await settle();
    assert.deepEqual(revoked, [b]);
    assert.equal(cache.size, 2);
  });
});

test('a URL an element on the page shows is never revoked, until the element is gone', async () => {
  const cache = new BlobUrlCache(loader, 1);
  const shown = new FakeImage();
  await revokedDuring(async (revoked) => {
    const a = await cache.url('media/a.png', shown);
    await cache.url('media/b.png');
    await cache.url('media/c.png');
    await settle();
    assert.ok(!revoked.includes(a), 'the shown URL stays');
    assert.equal(await cache.url('media/a.png', shown), a, 'a re-render gets the same live URL');
    shown.isConnected = false;
    await cache.url('media/d.png');
    await settle();
    assert.ok(revoked.includes(a), 'revoked once its element left the page');
    assert.equal(cache.size, 1);
  });
});

test('a URL still loading in a detached element is revoked only when its load ends', async () => {
  const cache = new BlobUrlCache(loader, 1);
  const img = new FakeImage();
  await revokedDuring(async (revoked) => {
    const a = await cache.url('media/a.png', img);
    img.isConnected = false;
    img.complete = false;
    await cache.url('media/b.png');
    await settle();
    assert.ok(!revoked.includes(a), 'kept while loading');
    cache.dispose();
    await settle();
    assert.ok(!revoked.includes(a), 'dispose waits for the load too');
    assert.equal(revoked.length, 1, 'the idle URL goes at once');
    img.complete = true;
    img.dispatchEvent(new Event('load'));
    img.dispatchEvent(new Event('error'));
    assert.equal(revoked.filter((u) => u === a).length, 1, 'revoked exactly once after the load');
  });
});

test('a path outside media/ is refused without a fetch', async () => {
  let fetched = 0;
  const cache = new BlobUrlCache({
    fetch: async () => {
      fetched++;
      return new Blob([]);
    },
  });
  await assert.rejects(cache.url('../secret.png'), /refused media path/);
  assert.equal(fetched, 0);
});

test('an element reused for another file (the hover image) stops holding the first one', async () => {
  const cache = new BlobUrlCache(loader, 1);
  const hover = new FakeImage();
  await revokedDuring(async (revoked) => {
    const a = await cache.url('media/a.png', hover);
    hover.src = a;
    const b = await cache.url('media/b.png', hover);
    hover.src = b;
    // The next request finds the hover image showing b: a goes, b stays.
    await cache.url('media/c.png', new FakeImage());
    await settle();
    assert.deepEqual(revoked, [a]);
    assert.equal(cache.size, 2);
  });
});
