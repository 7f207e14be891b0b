import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { D1Database } from '@cloudflare/workers-types';
import { Kysely } from 'kysely';
import type { Atomic } from '../../server/store/atomic.ts';
import { D1Dialect, d1Batch } from '../../server/store/d1-dialect.ts';
import type { Database } from '../../server/store/schema.ts';
import { type ApiTarget, TARGET_ENV } from '../api/target.ts';
import { suiteAvailability } from './suites.ts';

/*
 * The Worker (server/entries/worker.ts) run by the workerd that wrangler bundles, configured by wrangler.jsonc, with
 * an in-memory D1 per instance. Wrangler stays offline: no metrics, no update check, no download of `request.cf`.
 */
process.env.WRANGLER_SEND_METRICS = 'false';
process.env.WRANGLER_HIDE_BANNER = 'true';
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';

const CONFIG = fileURLToPath(new URL('../../wrangler.jsonc', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist', import.meta.url));

function workerdRuns(): boolean {
  // The binary wrangler itself would start; the `workerd` package's default export is its path.
  const fromWrangler = createRequire(createRequire(import.meta.url).resolve('wrangler/package.json'));
  try {
    const { default: binary } = fromWrangler('workerd') as { default: string };
    return spawnSync(binary, ['--version'], { timeout: 10_000 }).status === 0;
  } catch {
    return false;
  }
}

/** Whether the D1 suites run: skipped with a hint where workerd cannot start (fatal under PARLEY_REQUIRE_ALL). */
export const workerdAvailable = suiteAvailability(
  'D1/workerd',
  workerdRuns(),
  'the workerd binary that wrangler installs does not run on this machine',
  'run the tests where workerd runs (Linux with glibc, macOS or Windows, x64 or arm64) after `npm ci`',
);

/**
 * wrangler.jsonc's Worker, D1 and cron trigger without its static assets: locally, wrangler sends a scheduled event
 * to the assets router in front of the Worker rather than to the Worker, so a test of the cron handler runs this.
 */
function configWithoutAssets(dir: string): string {
  const path = join(dir, 'wrangler.json');
  writeFileSync(
    path,
    JSON.stringify({
      name: 'parley',
      main: fileURLToPath(new URL('../../server/entries/worker.ts', import.meta.url)),
      compatibility_date: '2026-04-20',
      triggers: { crons: ['* * * * *'] },
      d1_databases: [{ binding: 'DB', database_name: 'parley', database_id: 'parley-local' }],
    }),
  );
  return path;
}

/**
 * Starts the Worker with the TARGET_ENV settings (and `env` over them) and an empty D1, and talks to it over HTTP.
 * Each request comes from `client` as Cloudflare reports it (`CF-Connecting-IP`). Its clock cannot be moved. With
 * `cron`, it has no static assets, and `GET /cdn-cgi/handler/scheduled` runs its cron handler.
 */
export async function openWorkerTarget(
  env: Record<string, string> = {},
  { cron = false }: { cron?: boolean } = {},
): Promise<ApiTarget> {
  const { unstable_startWorker } = await import('wrangler');
  // The API needs no widget build: without dist/ the Worker gets an empty folder of assets.
  const emptyAssets = existsSync(DIST) || cron ? undefined : mkdtempSync(join(tmpdir(), 'parley-assets-'));
  const configDir = cron ? mkdtempSync(join(tmpdir(), 'parley-cron-')) : undefined;
  const worker = await unstable_startWorker({
    config: configDir ? configWithoutAssets(configDir) : CONFIG,
    assets: emptyAssets,
    bindings: Object.fromEntries(
      Object.entries({ ...TARGET_ENV, ...env }).map(
        ([name, value]) => [name, { type: 'plain_text', value }] as const,
      ),
    ),
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: false,
      persist: false,
      watch: false,
      logLevel: 'warn',
      testScheduled: cron,
    },
  });
  const origin = await worker.url;
  const target: ApiTarget = {
    origin: origin.origin,
    request(path, init = {}, client = '203.0.113.1') {
      const headers = new Headers(init.headers);
      headers.set('CF-Connecting-IP', client);
      return fetch(new URL(path, origin), { ...init, headers });
    },
    async close() {
      await worker.dispose();
      for (const dir of [emptyAssets, configDir]) if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  // After a build error wrangler only logs, and requests wait forever: fail here instead. Also runs the migrations.
  const health = await target
    .request('/api/health', { signal: AbortSignal.timeout(20_000) })
    .catch(() => undefined);
  if (health?.status !== 200) {
    await target.close();
    throw new Error(
      `The Worker answered /api/health with ${health?.status ?? 'nothing in 20 s'}; see wrangler's output`,
    );
  }
  return target;
}

/**
 * A Kysely database over the D1 of a fresh workerd, reached from Node through wrangler's platform proxy, for the
 * store contract, with D1's batch for the store's atomic writes. `close()` stops that workerd.
 */
export async function openD1Database(): Promise<{
  db: Kysely<Database>;
  atomic: Atomic;
  close(): Promise<void>;
}> {
  const { getPlatformProxy } = await import('wrangler');
  const proxy = await getPlatformProxy<{ DB: D1Database }>({
    configPath: CONFIG,
    persist: false,
    envFiles: [],
    remoteBindings: false,
  });
  const db = new Kysely<Database>({ dialect: new D1Dialect({ database: proxy.env.DB }) });
  return {
    db,
    atomic: d1Batch(proxy.env.DB),
    async close() {
      await db.destroy();
      await proxy.dispose();
    },
  };
}
