import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerdAvailable } from '../support/workerd.ts';

/** Cloudflare's limit on a Worker's compressed size on the free plan (the paid plans allow 10 MiB). */
const FREE_PLAN_LIMIT_BYTES = 3 * 1024 * 1024;

describe.runIf(workerdAvailable)('the Workers deployment', () => {
  let out: string;
  let output = '';

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'parley-worker-'));
    // What `wrangler deploy` would upload, bundled and checked by wrangler itself, without an account.
    const result = await promisify(execFile)(
      process.execPath,
      ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--outdir', out],
      { env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true' } },
    );
    output = result.stdout + result.stderr;
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('bundles within the free plan’s size limit', () => {
    const bundle = readFileSync(join(out, 'worker.js'));
    const gzipped = gzipSync(bundle, { level: 9 }).length;
    console.log(
      `  worker.js: ${bundle.length} bytes, ${gzipped} bytes gzip (limit ${FREE_PLAN_LIMIT_BYTES})`,
    );
    expect(output).toMatch(/--dry-run: exiting now/);
    expect(gzipped).toBeLessThan(FREE_PLAN_LIMIT_BYTES);
  });
});
