import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type ParleyApp } from '../../server/app.ts';
import { configFromEnv } from '../../server/config.ts';
import type { Compressor } from '../../server/http-encoding.ts';
import { negotiateEncoding } from '../../server/http-encoding.ts';
import { zlibCompressor } from '../../server/node/compression.ts';
import { openDatabase } from '../../server/node/database.ts';
import { diskAssets } from '../../server/node/static-files.ts';
import { registerStaticRoutes } from '../../server/routes/static.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Store } from '../../server/store/store.ts';
import { TARGET_ENV } from './target.ts';

describe('Accept-Encoding negotiation', () => {
  it('takes the first offered encoding the client accepts, honouring q=0 and *', () => {
    const both = ['br', 'gzip'] as const;
    expect(negotiateEncoding('gzip, deflate, br, zstd', both)).toBe('br');
    expect(negotiateEncoding('gzip', both)).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip;q=0.5', both)).toBe('gzip');
    expect(negotiateEncoding('br;q=0, *', both)).toBe('gzip');
    expect(negotiateEncoding('*;q=0', both)).toBeUndefined();
    expect(negotiateEncoding('identity', both)).toBeUndefined();
    expect(negotiateEncoding(undefined, both)).toBeUndefined();
    expect(negotiateEncoding('br', ['gzip'])).toBeUndefined();
  });
});

describe('compressed thread pages', () => {
  let dir: string;
  let store: Store;
  let app: ParleyApp;
  const calls: string[] = [];
  const url = 'https://blog.example.com/compressed/';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-compress-'));
    store = kyselyStore(openDatabase(`file:${join(dir, 'parley.db')}`));
    await store.migrate();
    const counting: Compressor = {
      encodings: zlibCompressor.encodings,
      compress(body, encoding) {
        calls.push(encoding);
        return zlibCompressor.compress(body, encoding);
      },
    };
    app = createApp({
      store,
      config: configFromEnv({ ...TARGET_ENV, PARLEY_RATE_LIMIT_MAX: '100' }),
      compressor: counting,
      logError: () => {},
    });
    for (let i = 0; i < 12; i++) await comment(`Comment ${i}: ${'a thought worth keeping, '.repeat(6)}`);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function comment(body: string) {
    const res = await app.request('/api/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url, name: 'Ada', body }),
    });
    expect(res.status).toBe(201);
  }

  const page = (encoding?: string) =>
    app.request(`/api/comments?url=${encodeURIComponent(url)}`, {
      headers: encoding ? { 'Accept-Encoding': encoding } : {},
    });

  it('sends brotli or gzip by Accept-Encoding, each decoding to the same page, and says it varies', async () => {
    const plain = await page();
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    const text = await plain.text();
    expect(text.length).toBeGreaterThan(2000);

    const br = await page('gzip, deflate, br');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(brBytes.length).toBeLessThan(text.length / 3);
    expect(brotliDecompressSync(brBytes).toString()).toBe(text);

    const gz = await page('gzip');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(text);
    expect(gz.headers.get('etag')).toBe(plain.headers.get('etag'));
  });

  it('compresses a page once per version and encoding, not once per request', async () => {
    await page('br');
    calls.length = 0;
    for (let i = 0; i < 5; i++) expect((await page('br')).headers.get('content-encoding')).toBe('br');
    expect(calls).toEqual([]);
    await comment('One more, which makes a new version of the page.');
    for (let i = 0; i < 3; i++) await page('br');
    expect(calls).toEqual(['br']);
  });

  it('compresses the OpenAPI document too, on the fly', async () => {
    const res = await app.request('/api/openapi.json', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const document = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString());
    expect(document.openapi).toMatch(/^3\.1/);
  });

  it('leaves small answers as they are', async () => {
    const empty = await app.request('/api/comments?url=https%3A%2F%2Fblog.example.com%2Fnobody%2F', {
      headers: { 'Accept-Encoding': 'br' },
    });
    expect(empty.headers.get('content-encoding')).toBeNull();
  });
});

describe('built files', () => {
  let dist: string;
  let app: ParleyApp;
  let store: Store;
  const script = `console.log(${JSON.stringify('the widget '.repeat(400))});`;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'parley-dist-'));
    mkdirSync(join(dist, 'admin/assets'), { recursive: true });
    mkdirSync(join(dist, 'w'));
    for (const [name, content] of [
      ['embed.js', script],
      ['admin/assets/index-abc123.js', script],
      ['w/form-more-Ab3_x-9Z.js', script],
      ['admin/index.html', '<!doctype html><title>Parley</title>'],
    ] as const) {
      writeFileSync(join(dist, name), content);
      writeFileSync(join(dist, `${name}.br`), brotliCompressSync(content));
      writeFileSync(join(dist, `${name}.gz`), gzipSync(content));
    }
    store = kyselyStore(openDatabase(`file:${join(dist, 'parley.db')}`));
    app = createApp({ store, config: configFromEnv(TARGET_ENV), logError: () => {} });
    registerStaticRoutes(app, diskAssets(dist));
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves the build’s brotli and gzip copies of embed.js by Accept-Encoding, as JavaScript', async () => {
    const br = await app.request('/embed.js', { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(script);

    const gz = await app.request('/embed.js', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(script);

    const plain = await app.request('/embed.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
  });

  it('lets blogs revalidate embed.js with its ETag after a short cache, per encoding', async () => {
    const first = await app.request('/embed.js', { headers: { 'Accept-Encoding': 'br' } });
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await app.request('/embed.js', {
      headers: { 'Accept-Encoding': 'br', 'If-None-Match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    // Another encoding is another representation, with its own tag.
    const plain = await app.request('/embed.js', { headers: { 'If-None-Match': etag ?? '' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('etag')).not.toBe(etag);
  });

  it('serves the widget’s chunks to any origin, compressed, cached for a year: their names change with them', async () => {
    const res = await app.request('/w/form-more-Ab3_x-9Z.js', { headers: { 'Accept-Encoding': 'br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(script);
    // Only names with a hash, as the build gives them.
    expect((await app.request('/w/form-more.js')).status).toBe(404);
  });

  it('caches the dashboard’s hashed assets for a year, compressed too', async () => {
    const res = await app.request('/admin/assets/index-abc123.js', { headers: { 'Accept-Encoding': 'br' } });
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding')).toBe('br');
    const page = await app.request('/admin/', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(page.headers.get('content-encoding')).toBe('gzip');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
