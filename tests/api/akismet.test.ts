import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type ParleyApp } from '../../server/app.ts';
import { AKISMET_DEFAULTS, configFromEnv } from '../../server/config.ts';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Store } from '../../server/store/store.ts';
import type { CreatedComment } from '../../shared/schemas.ts';
import { TARGET_ENV } from './target.ts';

const KEY = 'test-akismet-key';
const SPAM = 'buy-followers-now';
const SLOW = 'take-your-time';

/**
 * A stand-in for Akismet's comment-check on 127.0.0.1 that speaks its protocol: a form-encoded POST answered with
 * `true` (spam), `false` (not spam), or `invalid` with a debug header for a wrong key.
 */
function fakeAkismet() {
  const requests: Array<Record<string, string>> = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk: Buffer) => {
      data += chunk.toString();
    });
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(data));
      requests.push({ ...form, path: req.url ?? '', contentType: req.headers['content-type'] ?? '' });
      const answer = (status: number, text: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
        res.end(text);
      };
      if (req.method !== 'POST' || req.url !== '/1.1/comment-check') return answer(404, 'Not found');
      if (form.api_key !== KEY) return answer(200, 'invalid', { 'X-akismet-debug-help': 'Invalid API key' });
      for (const field of ['blog', 'user_ip', 'user_agent', 'comment_type', 'comment_content']) {
        if (!form[field]) return answer(200, `Missing required field: ${field}`);
      }
      if (form.comment_content?.includes(SLOW)) {
        setTimeout(() => answer(200, 'false'), 2000).unref();
        return;
      }
      answer(200, form.comment_content?.includes(SPAM) ? 'true' : 'false');
    });
  });
  return { server, requests };
}

describe('Akismet', () => {
  const fake = fakeAkismet();
  const errors: unknown[] = [];
  let dir: string;
  let store: Store;
  let endpoint: string;
  let clients = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'parley-akismet-'));
    store = kyselyStore(openDatabase(`file:${join(dir, 'parley.db')}`));
    await store.migrate();
  });

  afterAll(async () => {
    await new Promise((resolve) => fake.server.close(resolve));
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    fake.requests.length = 0;
    errors.length = 0;
  });

  /** The app as a deployment with these settings would run it; the client's address comes from a test header. */
  function appWith(env: Record<string, string>): ParleyApp {
    return createApp({
      store,
      config: configFromEnv({ ...TARGET_ENV, ...env }),
      clientAddress: (c) => c.req.header('X-Test-Client'),
      logError: (error) => errors.push(error),
    });
  }

  const withKey = (key = KEY, at = endpoint) =>
    appWith({ PARLEY_AKISMET_KEY: key, PARLEY_AKISMET_ENDPOINT: at, PARLEY_AKISMET_TIMEOUT_MS: '300' });

  async function post(app: ParleyApp, input: Record<string, unknown>) {
    const res = await app.request('/api/comments', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Test-Client': `192.0.2.${++clients}`,
        'User-Agent': 'Mozilla/5.0 (test)',
        Referer: 'https://blog.example.com/posts/hello/',
      },
      body: JSON.stringify({ url: `https://blog.example.com/posts/akismet-${clients}/`, ...input }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as CreatedComment;
  }

  const stored = (created: CreatedComment) => store.getComment(created.comment.id);

  it('is off without a key, and points at Akismet’s own endpoint with a 2 s limit by default', () => {
    expect(configFromEnv({}).akismet).toBeUndefined();
    expect(configFromEnv({ PARLEY_AKISMET_KEY: 'k' }).akismet).toEqual({
      key: 'k',
      endpoint: 'https://rest.akismet.com',
      timeoutMs: 2000,
    });
    expect(AKISMET_DEFAULTS.timeoutMs).toBe(2000);
  });

  it('sends the comment with the real client address, user agent, referrer and page, and publishes a ham', async () => {
    const created = await post(withKey(), {
      name: 'Ada',
      email: 'Ada@Example.org',
      body: 'A thoughtful reply',
    });
    expect(created.comment.status).toBe('approved');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      path: '/1.1/comment-check',
      contentType: 'application/x-www-form-urlencoded',
      api_key: KEY,
      blog: 'https://blog.example.com',
      user_ip: `192.0.2.${clients}`,
      user_agent: 'Mozilla/5.0 (test)',
      referrer: 'https://blog.example.com/posts/hello/',
      permalink: `https://blog.example.com/posts/akismet-${clients}/`,
      comment_type: 'comment',
      comment_author: 'Ada',
      comment_author_email: 'ada@example.org',
      comment_content: 'A thoughtful reply',
    });
    // The address was only passed on, never stored.
    expect(JSON.stringify(await stored(created))).not.toContain(`192.0.2.${clients}`);
    expect(errors).toEqual([]);
  });

  it('keeps what Akismet calls spam out of the thread, as spam with the reason akismet', async () => {
    const created = await post(withKey(), { body: `Great post! ${SPAM}` });
    expect(created.comment.status).toBe('pending');
    expect(await stored(created)).toMatchObject({ status: 'spam', status_reason: 'akismet' });
  });

  it('publishes and logs when the key is refused', async () => {
    const created = await post(withKey('wrong-key'), { body: `Great post! ${SPAM}` });
    expect(created.comment.status).toBe('approved');
    expect(String(errors[0])).toMatch(/invalid.*Invalid API key/);
  });

  it('publishes and logs when Akismet does not answer in time', async () => {
    const started = Date.now();
    const created = await post(withKey(), { body: `Hmm, ${SLOW}` });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(created.comment.status).toBe('approved');
    expect(String(errors[0])).toMatch(/did not answer in time/);
  });

  it('publishes and logs when Akismet cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const created = await post(withKey(KEY, `http://127.0.0.1:${port}`), { body: `x ${SPAM}` });
    expect(created.comment.status).toBe('approved');
    expect(errors).toHaveLength(1);
  });

  it('is not asked about comments another check already held, nor when no key is configured', async () => {
    const held = await post(withKey(), {
      body: 'a https://a.example b https://b.example c https://c.example d https://d.example',
    });
    expect(await stored(held)).toMatchObject({ status: 'pending', status_reason: 'links' });
    await post(appWith({}), { body: `x ${SPAM}` });
    expect(fake.requests).toEqual([]);
  });
});
