import type { Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { TrieRouter } from 'hono/router/trie-router';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { configFromEnv } from '../../server/config.ts';
import { openDatabase } from '../../server/node/database.ts';
import { ReadsApartRouter } from '../../server/reads-apart-router.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { TARGET_ENV } from '../api/target.ts';

/** What a router answers for a request: the handlers in order, each with the parameters it sees. */
function found(router: Router<string>, method: string, path: string) {
  const [handlers, stash] = router.match(method, path);
  return handlers.map(([handler, params]) => {
    const named = Object.entries(params).map(([name, at]) => [name, stash ? stash[at as number] : at]);
    return [handler, Object.fromEntries(named)];
  });
}

describe('the router that keeps reads apart', () => {
  const routes: Array<[string, string]> = [
    ['ALL', '*'],
    ['GET', '/api/comments'],
    ['ALL', '/api/*'],
    ['POST', '/api/comments/own'],
    ['POST', '/api/comments/:id/vote'],
    ['PATCH', '/api/comments/:id'],
    ['GET', '/api/comments/live'],
    ['GET', '/admin/api/sites/:site/bans'],
  ];

  it('finds what the trie finds, for reads and writes, where the one-expression router alone cannot hold the routes', () => {
    const apart = new ReadsApartRouter<string>();
    const trie = new TrieRouter<string>();
    for (const [method, path] of routes) {
      apart.add(method, path, `${method} ${path}`);
      trie.add(method, path, `${method} ${path}`);
    }
    const whole = new RegExpRouter<string>();
    expect(() => {
      for (const [method, path] of routes) whole.add(method, path, path);
    }).toThrow();
    const asked: Array<[string, string]> = [
      ['GET', '/api/comments'],
      ['GET', '/api/comments/live'],
      ['GET', '/admin/api/sites/blog/bans'],
      ['GET', '/nowhere'],
      ['POST', '/api/comments/own'],
      ['POST', '/api/comments/abc/vote'],
      ['PATCH', '/api/comments/abc'],
    ];
    for (const [method, path] of asked) {
      expect(found(apart, method, path), `${method} ${path}`).toEqual(found(trie, method, path));
    }
    expect(apart.settled).toEqual({ reads: 'RegExpRouter', others: 'TrieRouter' });
  });

  it('is what the app routes with: its reads on the one-expression router', async () => {
    const store = kyselyStore(openDatabase('file::memory:'));
    await store.migrate();
    const app = createApp({ store, config: configFromEnv({ ...TARGET_ENV }), logError: () => {} });
    expect((await app.request('/api/health')).status).toBe(200);
    expect((await app.request('/api/comments/own', { method: 'POST' })).status).toBeLessThan(500);
    expect((app.router as ReadsApartRouter<unknown>).settled).toEqual({
      reads: 'RegExpRouter',
      others: 'TrieRouter',
    });
    await store.close();
  });
});
