import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * What a page downloads before a thread is painted: `embed.js` (Preact, the thread read-only, the form's text
 * field, the first paint's styles), gzip level 9. 10 KiB: below Cusdis, the lightest peer (10.3 KB).
 */
const FIRST_PAINT_CEILING = 10_240;

/**
 * Everything loaded after that paint, from `dist/w/`: writing, the rest of the form, sorting and later pages,
 * failure words. Each chunk gzipped on its own, as it travels, and added up. 5,600 until up-votes and the `top`
 * order, the <parley-comments> element (its own chunk), "Email me replies", the feed link, live threads, and
 * what moved out of the first paint to make room for them (Reply, Edit and Delete, full dates, the page's theme
 * switches followed, the console's hints) came in: 8,300; "Read more" under long comments: 8,500; quote-reply: 8,830;
 * layout containment of each top-level comment, which took the longest task while scrolling 2,000 comments from
 * 138 ms to none over 50 ms: 8,838.
 */
const CHUNKS_CEILING = 8_838;

/** Server-side code that must never leak into the widget (schemas, SQL, Node built-ins, the markdown parser). */
const FORBIDDEN = ['ZodObject', 'zod', 'INSERT INTO', 'SELECT ', 'node:', 'markdown-it'];

let bundle = '';
let chunks: Array<{ name: string; code: string }> = [];
let precompressed: { br: Buffer; gz: Buffer } | undefined;

const gzip = (code: string) => gzipSync(code, { level: 9 }).length;

beforeAll(() => {
  // Always a fresh build, so the figure is never that of stale sources; into a directory of its own, so that
  // what other suites serve from dist/ stays as it is.
  const out = mkdtempSync(join(tmpdir(), 'parley-size-'));
  try {
    execFileSync(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'],
      { stdio: 'inherit' },
    );
    bundle = readFileSync(join(out, 'embed.js'), 'utf8');
    chunks = readdirSync(join(out, 'w'))
      .filter((name) => name.endsWith('.js'))
      .map((name) => ({ name, code: readFileSync(join(out, 'w', name), 'utf8') }));
    precompressed = {
      br: readFileSync(join(out, 'embed.js.br')),
      gz: readFileSync(join(out, 'embed.js.gz')),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

describe('the widget bundle', () => {
  it('ships with brotli and gzip copies made at build time, which decode to it', () => {
    const { br, gz } = precompressed ?? { br: Buffer.alloc(0), gz: Buffer.alloc(0) };
    console.log(`  dist/embed.js on the wire: ${br.length} bytes brotli, ${gz.length} bytes gzip`);
    expect(brotliDecompressSync(br).toString()).toBe(bundle);
    expect(gunzipSync(gz).toString()).toBe(bundle);
    expect(br.length).toBeLessThan(gz.length);
  });

  it('paints a thread with at most 10 KiB gzip', () => {
    const size = gzip(bundle);
    console.log(
      `  dist/embed.js: ${bundle.length} bytes, ${size} bytes gzip (ceiling ${FIRST_PAINT_CEILING})`,
    );
    expect(
      size,
      `dist/embed.js is ${size} bytes gzip, over the ${FIRST_PAINT_CEILING}-byte ceiling. Move what the first ` +
        'paint of a thread does not need into a chunk (widget/chunks.ts).',
    ).toBeLessThanOrEqual(FIRST_PAINT_CEILING);
  });

  it('loads the rest in chunks within their own budget', () => {
    const sizes = chunks.map(({ name, code }) => `${name} ${gzip(code)}`);
    const total = chunks.reduce((sum, { code }) => sum + gzip(code), 0);
    console.log(`  dist/w/: ${sizes.join(', ')}; ${total} bytes gzip in all (ceiling ${CHUNKS_CEILING})`);
    expect(chunks.length).toBeGreaterThan(0);
    expect(
      total,
      `the chunks are ${total} bytes gzip, over the ${CHUNKS_CEILING}-byte ceiling. Find what grew; raise the ` +
        'ceiling in the same commit only if the growth is intended.',
    ).toBeLessThanOrEqual(CHUNKS_CEILING);
  });

  it('holds no server code', () => {
    for (const { name, code } of [{ name: 'embed.js', code: bundle }, ...chunks]) {
      const found = FORBIDDEN.filter((needle) => code.includes(needle));
      expect(found, `${name} contains ${found.join(', ')}: import only types from shared/`).toEqual([]);
    }
  });

  it('is one classic script, which loads its chunks from where it came from, and touches no cookie', () => {
    // No module syntax: a blog's plain <script src> would not run it.
    expect(bundle).not.toMatch(/\bexport\s*\{|\bimport\s*[{"'`*]|import\.meta/);
    // Every import() names a chunk of the build, resolved against the script's own address, not the page's.
    const loads = bundle.match(/\bimport\(/g) ?? [];
    const resolved = [...bundle.matchAll(/\bimport\(new URL\("w\/([\w.-]+)",\$parleyBase\)\)/g)];
    expect(loads.length).toBeGreaterThan(0);
    expect(resolved).toHaveLength(loads.length);
    for (const [, name] of resolved) expect(chunks.map((chunk) => chunk.name)).toContain(name);
    expect(bundle).toMatch(/^\(\(\)=>\{"use strict";var \$parleyBase=document\.currentScript\.src/);
    for (const { code } of [{ code: bundle }, ...chunks]) {
      expect(code).not.toMatch(/document\.cookie/);
      expect(code, 'the development JSX runtime leaked in').not.toMatch(/jsxDEV|lineNumber/);
    }
  });

  it('keeps writing out of the first paint', () => {
    // Words only the chunks say: their presence in embed.js would mean a chunk's module was imported statically.
    for (const words of ['Post comment', 'Write something first.', 'Yes, delete', 'Oldest first']) {
      expect(bundle, words).not.toContain(words);
      expect(
        chunks.some(({ code }) => code.includes(words)),
        words,
      ).toBe(true);
    }
  });
});
