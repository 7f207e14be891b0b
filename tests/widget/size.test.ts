import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Everything a page downloads for the widget: Preact, the components, the styles; gzip level 9. 12 KiB until the
 * painted explicit themes, the contrast fixes and the narrow layout grew it past that; 12,563 until up-votes (the
 * button, the browser key, the votes kept) and the `top` order with its remembered choice added 484 bytes;
 * 13,047 until the <parley-comments> element added 389; then "Email me replies", the "verified" mark and the
 * link to the page's comment feed; live threads added 726 bytes (widget/live.tsx and its use in the thread),
 * all of them together 14,358.
 */
const CEILING_BYTES = 14_358;

/** Server-side code that must never leak into the widget (schemas, SQL, Node built-ins, the markdown parser). */
const FORBIDDEN = ['ZodObject', 'zod', 'INSERT INTO', 'SELECT ', 'node:', 'markdown-it'];

let bundle = '';
let precompressed: { br: Buffer; gz: Buffer } | undefined;

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

  it('stays within its gzip budget', () => {
    const size = gzipSync(bundle, { level: 9 }).length;
    console.log(`  dist/embed.js: ${bundle.length} bytes, ${size} bytes gzip (ceiling ${CEILING_BYTES})`);
    expect(
      size,
      `dist/embed.js is ${size} bytes gzip, over the ${CEILING_BYTES}-byte ceiling. Find what grew; raise the ` +
        'ceiling in the same commit only if the growth is intended.',
    ).toBeLessThanOrEqual(CEILING_BYTES);
  });

  it('holds no server code', () => {
    const found = FORBIDDEN.filter((needle) => bundle.includes(needle));
    expect(found, `dist/embed.js contains ${found.join(', ')}: import only types from shared/`).toEqual([]);
  });

  it('is one classic script that loads no chunk and touches no cookie', () => {
    expect(bundle).not.toMatch(/\bimport\s*\(|document\.cookie/);
    expect(bundle, 'the development JSX runtime leaked in').not.toMatch(/jsxDEV|lineNumber/);
  });
});
