import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

/** What an index page downloads for its comment counts: the issue asks for at most 1 KB gzip. */
const CEILING_BYTES = 1024;

let bundle = '';

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'parley-count-size-'));
  try {
    execFileSync(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--mode', 'count', '--outDir', out, '--logLevel', 'error'],
      { stdio: 'inherit' },
    );
    bundle = readFileSync(join(out, 'count.js'), 'utf8');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

describe('the count script', () => {
  it('stays within 1 KB gzip', () => {
    const size = gzipSync(bundle, { level: 9 }).length;
    console.log(`  dist/count.js: ${bundle.length} bytes, ${size} bytes gzip (ceiling ${CEILING_BYTES})`);
    expect(size, `dist/count.js is ${size} bytes gzip, over ${CEILING_BYTES}`).toBeLessThanOrEqual(
      CEILING_BYTES,
    );
  });

  it('holds nothing of Preact or the widget, and loads no chunk', () => {
    expect(bundle).not.toMatch(/__H|preact|attachShadow|\bimport\s*\(/);
    expect(bundle).toContain('[data-parley-count]');
  });
});
