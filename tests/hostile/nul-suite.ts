import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.ts';
import { NUL_MESSAGE } from '../../shared/text.ts';
import { type AdminClient, signIn } from '../admin/client.ts';
import type { ApiTarget } from '../api/target.ts';
import { type OpenApiDocument, operationsOf } from './openapi.ts';

/*
 * U+0000 in any field, parameter or key of any operation answers 4xx JSON naming the field, on every store. PostgreSQL
 * refuses NUL in text, so before the schemas refused it an anonymous reader could make it answer 500.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One valid-looking request per operation, to put a NUL in one place at a time. */
interface Sample {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: Json;
}

const ID = '0000000000000000';
const SAMPLE_PARAMS = { id: ID, site: 'default', userId: ID };

const credential = (response: Record<string, Json>) => ({
  id: 'AAAA',
  rawId: 'AAAA',
  type: 'public-key',
  authenticatorAttachment: 'platform',
  clientExtensionResults: { credProps: { rk: true } },
  response,
});

/** Keyed by `METHOD /path` as in the OpenAPI document. Operations without inputs need no entry. */
const SAMPLES: Record<string, Sample> = {
  'GET /api/comments': {
    query: {
      url: 'https://blog.example/a/',
      pageId: 'p',
      site: 'default',
      sort: 'oldest',
      cursor: 'c',
      limit: '5',
    },
  },
  'GET /api/counts': { query: { url: 'https://blog.example/a/', site: 'default' } },
  'GET /api/comments/live': {
    query: { url: 'https://blog.example/a/', pageId: 'p', site: 'default', since: '3' },
  },
  'POST /api/comments': {
    body: {
      url: 'https://blog.example/a/',
      pageId: 'page',
      site: 'default',
      title: 'A title',
      parentId: ID,
      name: 'Ada',
      email: 'ada@example.com',
      body: 'Hello',
      website: 'w',
      notify: true,
      browserKey: 'abcdefghijklmnopqrstuvwxyz',
      lang: 'fr-CA',
    },
  },
  'PATCH /api/comments/{id}': { body: { body: 'Hello' } },
  'POST /api/comments/{id}/vote': { body: { key: 'a-browser-key-0123456789', voted: true } },
  'GET /threads/{site}': { query: { url: 'https://blog.example/a/', pageId: 'p' } },
  'POST /api/comments/own': { body: { comments: [{ id: ID, token: 'token' }] } },
  'POST /api/preview': { body: { body: 'Hello' } },
  'POST /admin/api/session': { body: { email: 'someone@example.com', password: 'password' } },
  'POST /admin/api/account/password': { body: { current: 'password', next: 'a new password' } },
  'POST /admin/api/passkeys/register': {
    body: {
      name: 'Laptop',
      response: credential({ clientDataJSON: 'AAAA', attestationObject: 'AAAA', transports: ['usb'] }),
    },
  },
  'POST /admin/api/passkeys/login': {
    body: {
      response: credential({
        clientDataJSON: 'AAAA',
        authenticatorData: 'AAAA',
        signature: 'AAAA',
        userHandle: 'AAAA',
      }),
    },
  },
  'POST /admin/api/sites/{site}/invites': { body: { email: 'someone@example.com', role: 'moderator' } },
  'POST /admin/api/invites/accept': {
    body: { token: 'a-long-enough-token', name: 'Ada', password: 'a long password' },
  },
  'POST /admin/api/sites': { body: { id: 'a-site', name: 'A site', origins: ['https://blog.example'] } },
  'PATCH /admin/api/sites/{site}': {
    body: {
      name: 'A site',
      settings: {
        origins: ['https://blog.example'],
        moderation: 'all',
        requireName: true,
        requireEmail: false,
        editWindowMinutes: 5,
        autoCloseDays: 0,
        maxDepth: 3,
        maxLinks: 2,
        blockedWords: ['spam'],
        ownerBadge: true,
      },
    },
  },
  'GET /admin/api/comments': {
    query: { site: 'default', status: 'pending', thread: ID, q: 'word', cursor: `1.${ID}`, limit: '5' },
  },
  'POST /admin/api/comments/actions': { body: { ids: [ID], action: 'approve' } },
  'PATCH /admin/api/comments/{id}': { body: { body: 'Hello' } },
  'POST /admin/api/comments/{id}/replies': { body: { body: 'Hello' } },
  'PATCH /admin/api/threads/{id}': { body: { locked: true, title: 'A title' } },
  'POST /admin/api/sites/{site}/bans': {
    body: { commentId: ID, kinds: ['email'], reason: 'spam', duration: 'week', deleteComments: false },
  },
  'PATCH /admin/api/account': { body: { name: 'Ada' } },
  'POST /admin/api/sites/{site}/import': { query: { format: 'wxr', partial: '1' } },
  'GET /admin/api/audit': { query: { site: 'default', cursor: ID } },
  'GET /admin/api/stats': { query: { site: 'default' } },
  'PATCH /admin/api/sites/{site}/notifications': { body: { level: 'all' } },
  'GET /mail/moderate': { query: { t: 'm.a.token' } },
  'POST /mail/moderate': { query: { t: 'm.a.token' } },
  'GET /mail/confirm': { query: { t: 'c.token' } },
  'POST /mail/confirm': { query: { t: 'c.token' } },
  'GET /mail/unsubscribe': { query: { t: 'u.token' } },
  'POST /mail/unsubscribe': { query: { t: 'u.token' } },
  'GET /api/feed.atom': { query: { url: 'https://blog.example/a/', pageId: 'p', site: 'default' } },
  'POST /api/privacy/requests': { body: { email: 'someone@example.com' } },
  'POST /admin/api/sites/{site}/webhooks': {
    body: { url: 'https://hooks.example/in', events: ['comment.created'] },
  },
  'POST /admin/api/sites/{site}/privacy/export': { body: { email: 'someone@example.com' } },
  'POST /admin/api/sites/{site}/privacy/erase': { body: { email: 'someone@example.com' } },
};

const withNul = (value: Json) =>
  typeof value === 'string' ? `${value.slice(0, 1)}\0${value.slice(1)}` : '\0';

/** Every leaf of a JSON value with its dotted path, and the same value with a NUL put into that leaf alone. */
function* nulLeaves(value: Json, path: string[] = []): Generator<{ field: string; body: Json }> {
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      for (const leaf of nulLeaves(item, [...path, key])) {
        const copy: Json = Array.isArray(value) ? [...value] : { ...value };
        (copy as Record<string, Json>)[key] = leaf.body;
        yield { field: leaf.field, body: copy };
      }
    }
    return;
  }
  yield { field: path.join('.'), body: withNul(value) };
}

interface Case {
  name: string;
  method: string;
  path: string;
  body?: Json;
  /** The field the answer must name; undefined for a NUL outside any field. */
  field: string;
  status: 400 | 422;
}

function casesFor(method: string, template: string, sample: Sample): Case[] {
  const params = Object.fromEntries(
    [...template.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => [
      name,
      SAMPLE_PARAMS[name as keyof typeof SAMPLE_PARAMS] ?? 'x',
    ]),
  );
  const url = (paramValues: Record<string, string>, query: Record<string, string> = sample.query ?? {}) => {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(paramValues[name] ?? ''),
    );
    const search = new URLSearchParams(query).toString();
    return search ? `${path}?${search}` : path;
  };
  const cases: Case[] = [];
  for (const name of Object.keys(params)) {
    cases.push({
      name: `path ${name}`,
      method,
      path: url({ ...params, [name]: withNul(params[name] ?? '') }),
      body: sample.body,
      field: name,
      status: 400,
    });
  }
  for (const [name, value] of Object.entries(sample.query ?? {})) {
    cases.push({
      name: `query ${name}`,
      method,
      path: url(params, { ...sample.query, [name]: withNul(value) }),
      field: name,
      status: 400,
    });
  }
  if (sample.query) {
    cases.push({
      name: 'a query key',
      method,
      path: url(params, { ...sample.query, 'k\0': 'v' }),
      field: '_',
      status: 400,
    });
  }
  if (sample.body !== undefined) {
    for (const { field, body } of nulLeaves(sample.body)) {
      cases.push({ name: `body ${field}`, method, path: url(params), body, field, status: 422 });
    }
    if (typeof sample.body === 'object' && sample.body !== null && !Array.isArray(sample.body)) {
      cases.push({
        name: 'an unknown body key',
        method,
        path: url(params),
        body: { ...sample.body, 'k\0': 'v' },
        field: '_',
        status: 422,
      });
    }
  }
  return cases;
}

/** Parameter names and top-level body properties the OpenAPI document gives an operation. */
function inputsOf(operation: ReturnType<typeof operationsOf>[number]) {
  const names = operation.parameters.filter((p) => p.in !== 'header').map((p) => `${p.in}:${p.name}`);
  for (const key of Object.keys(operation.body?.properties ?? {})) names.push(`body:${key}`);
  return names;
}

export function nulSuite(name: string, open: () => Promise<ApiTarget>) {
  describe(`NUL characters on ${name}`, () => {
    let target: ApiTarget;
    let owner: AdminClient;
    let document: OpenApiDocument;
    beforeAll(async () => {
      target = await open();
      owner = await signIn(target);
      document = (await (await target.request('/api/openapi.json')).json()) as OpenApiDocument;
    });
    afterAll(() => target?.close());

    it('a sample covers every parameter and body field of every operation in the OpenAPI document', () => {
      const missing: string[] = [];
      for (const operation of operationsOf(document)) {
        const sample = SAMPLES[operation.key] ?? {};
        const covered = new Set([
          ...[...operation.path.matchAll(/\{(\w+)\}/g)].map(([, param]) => `path:${param}`),
          ...Object.keys(sample.query ?? {}).map((key) => `query:${key}`),
          ...Object.keys((sample.body as Record<string, Json> | undefined) ?? {}).map((key) => `body:${key}`),
        ]);
        for (const input of inputsOf(operation)) {
          if (!covered.has(input)) missing.push(`${operation.key} ${input}`);
        }
      }
      expect(missing, 'add these to SAMPLES in tests/hostile/nul-suite.ts').toEqual([]);
    });

    it('answers 4xx JSON naming the field, never 500, for a NUL in any input of any operation', async () => {
      const failures: string[] = [];
      let checked = 0;
      for (const operation of operationsOf(document)) {
        for (const each of casesFor(operation.method, operation.path, SAMPLES[operation.key] ?? {})) {
          const headers: Record<string, string> = { 'Content-Type': 'application/json' };
          if (each.path.startsWith('/admin/api/')) {
            headers.Cookie = owner.cookie;
            headers['X-CSRF-Token'] = owner.session.csrfToken;
          }
          // A client of its own per case: the write limit counts a post before it is read.
          const res = await target.request(
            each.path,
            {
              method: each.method,
              headers,
              ...(each.body !== undefined && { body: JSON.stringify(each.body) }),
            },
            `198.18.200.${checked % 250}`,
          );
          checked++;
          const text = await res.text();
          const body = (() => {
            try {
              return JSON.parse(text) as ErrorBody;
            } catch {
              return undefined;
            }
          })();
          if (res.status !== each.status || body?.error.fields?.[each.field] !== NUL_MESSAGE) {
            failures.push(`${operation.key} (${each.name}): ${res.status} ${text.slice(0, 200)}`);
          }
        }
      }
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(100);
    });
  });
}
