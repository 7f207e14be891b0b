import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type ParleyApp } from '../../server/app.ts';
import { configFromEnv } from '../../server/config.ts';
import { openDatabase } from '../../server/node/database.ts';
import { diskAssets } from '../../server/node/static-files.ts';
import { registerStaticRoutes } from '../../server/routes/static.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { TARGET_ENV } from '../api/target.ts';

/*
 * The headers every answer carries, on the app as the Node entry builds it: the API, the built files read from a
 * dist folder on disk, errors and 404s. The demo page is the real one; the other built files are stand-ins.
 */

const BUILT = {
  'embed.js': 'console.log("parley")',
  'i18n/fr.json': '{}',
  'admin/index.html': '<!doctype html><title>Parley</title>',
  'admin/assets/index-abc123.js': 'export {}',
};

describe('response headers', () => {
  let dir: string;
  let app: ParleyApp;
  let broken: ParleyApp;
  const store = () => kyselyStore(openDatabase(`file:${join(dir, `parley-${Math.random()}.db`)}`));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-headers-'));
    const dist = join(dir, 'dist');
    for (const [path, content] of Object.entries(BUILT)) {
      mkdirSync(dirname(join(dist, path)), { recursive: true });
      writeFileSync(join(dist, path), content);
    }
    mkdirSync(join(dist, 'demo'));
    copyFileSync('demo/index.html', join(dist, 'demo/index.html'));
    const config = configFromEnv({ ...TARGET_ENV });
    const working = store();
    await working.migrate();
    app = createApp({ store: working, config, logError: () => {} });
    registerStaticRoutes(app, diskAssets(dist));
    // A store whose database is gone: every query fails, as in an outage.
    const gone = store();
    await gone.close();
    broken = createApp({ store: gone, config, logError: () => {} });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('say nosniff on every answer: API, built files, dashboard, demo page, errors and 404s', async () => {
    const requests: Array<[ParleyApp, string, RequestInit?]> = [
      [app, '/api/health'],
      [app, '/api/openapi.json'],
      [app, '/api/comments?url=https://blog.example/a/'],
      [app, '/api/comments?url=nope'],
      [app, '/api/comments', { method: 'OPTIONS' }],
      [app, '/api/comments', { method: 'POST', body: '{', headers: { 'Content-Type': 'application/json' } }],
      [app, '/api/comments', { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' } }],
      [app, '/api/no-such-route'],
      [app, '/admin/api/session'],
      [app, '/admin/api/no-such-route'],
      [app, '/'],
      [app, '/embed.js'],
      [app, '/i18n/fr.json'],
      [app, '/i18n/de.json'],
      [app, '/admin/'],
      [app, '/admin/assets/index-abc123.js'],
      [app, '/admin/assets/missing.js'],
      [app, '/no-such-page'],
      [broken, '/api/comments?url=https://blog.example/a/'],
    ];
    const missing: string[] = [];
    for (const [target, path, init] of requests) {
      const res = await target.request(path, init);
      if (res.headers.get('X-Content-Type-Options') !== 'nosniff') missing.push(`${path} (${res.status})`);
    }
    expect(missing).toEqual([]);
  });

  it('let any page read a thread, its revalidation and its errors, with nosniff on each', async () => {
    const read = (target: ParleyApp, path: string, headers: Record<string, string> = {}) =>
      target.request(path, { headers: { Origin: 'https://blog.example', ...headers } });
    const page = await read(app, '/api/comments?url=https://blog.example/cors/');
    const answers = [
      page,
      await read(app, '/api/comments?url=https://blog.example/cors/', {
        'If-None-Match': page.headers.get('ETag') ?? '',
      }),
      await read(app, '/api/comments?url=nope'),
      await read(app, '/api/comments?url=https://blog.example/cors/&site=nowhere'),
      await read(broken, '/api/comments?url=https://blog.example/cors/'),
    ];
    expect(
      answers.map((res) => [
        res.status,
        res.headers.get('Access-Control-Allow-Origin'),
        res.headers.get('Access-Control-Expose-Headers')?.includes('ETag'),
        res.headers.get('X-Content-Type-Options'),
      ]),
    ).toEqual([
      [200, '*', true, 'nosniff'],
      [304, '*', true, 'nosniff'],
      [400, '*', true, 'nosniff'],
      [404, '*', true, 'nosniff'],
      // A closed database, whatever status it comes to.
      [expect.any(Number), '*', true, 'nosniff'],
    ]);
  });

  it('serve the demo page under a policy that allows the widget from this origin and its own style sheet only', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    const policy = Object.fromEntries(
      (res.headers.get('Content-Security-Policy') ?? '').split(/;\s*/).map((part) => {
        const [name = '', ...sources] = part.split(' ');
        return [name, sources];
      }),
    );
    expect(policy['default-src']).toEqual(["'none'"]);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    // The page's one inline style sheet, by hash: never 'unsafe-inline'.
    expect(policy['style-src']).toEqual(["'self'", expect.stringMatching(/^'sha256-[\w+/]+=*'$/)]);
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
  });
});
