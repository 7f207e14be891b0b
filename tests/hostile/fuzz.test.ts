import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type ParleyApp } from '../../server/app.ts';
import { configFromEnv } from '../../server/config.ts';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Store } from '../../server/store/store.ts';
import type { SessionView } from '../../shared/admin-schemas.ts';
import { ERROR_CODES, type ErrorBody } from '../../shared/errors.ts';
import type { CreatedComment } from '../../shared/schemas.ts';
import { OWNER } from '../admin/client.ts';
import { TARGET_ENV } from '../api/target.ts';
import { openPgSchema, pgAvailable } from '../support/postgres.ts';
import { asText, hostileValue, type Json, SchemaArbitraries, segmentFor } from './arbitraries.ts';
import { type OpenApiDocument, operationsOf } from './openapi.ts';

/*
 * Property-based fuzzing of every operation in the OpenAPI document, public and admin, on SQLite and PostgreSQL:
 * requests built from the schemas (to get past validation into the handlers) with hostile parts here and there,
 * sent in-process as the signed-in owner (or anonymously). Whatever is sent, the answer comes within 5 s, is never
 * a 5xx, and an error is `{ error: { code, message } }` JSON, with `fields` on a 422.
 *
 * PARLEY_FUZZ_RUNS sets the cases per operation and store (default 150, so 300 per operation across the two
 * stores); PARLEY_FUZZ_SEED replays a run.
 */

const RUNS = Number(process.env.PARLEY_FUZZ_RUNS ?? 150);
const SEED = process.env.PARLEY_FUZZ_SEED === undefined ? undefined : Number(process.env.PARLEY_FUZZ_SEED);
const ANSWER_WITHIN_MS = 5_000;
const CLIENT_HEADER = 'X-Test-Client';

/** Operations after which the owner's session may be gone: each case of these starts from a fresh sign-in. */
const ENDS_SESSIONS = new Set([
  'DELETE /admin/api/session',
  'DELETE /admin/api/sessions/{id}',
  'POST /admin/api/account/password',
]);

const CONTENT_TYPES = ['text/plain', 'application/json; charset=utf-16', '', 'application/vnd.api+json'];

const rawBody: fc.Arbitrary<string> = fc.oneof(
  hostileValue.map((value) => JSON.stringify(value)),
  fc.constantFrom('', '{', '{"a":', 'nul', '[]', '"x"', '{"__proto__":{"polluted":1}}', '\u0000', '\uFEFF{}'),
  // Deep nesting, up to just under the body limit.
  fc.integer({ min: 100, max: 12_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.integer({ min: 100, max: 30_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.constant('x'.repeat(70_000)),
);

interface FuzzRequest {
  path: string;
  method: string;
  body: string | undefined;
  headers: Record<string, string>;
  anonymous: boolean;
}

type Operation = ReturnType<typeof operationsOf>[number];

/** Requests for the operation: path, query, headers and body from its schemas; hostile ones two times in three. */
function requestsFor(operation: Operation, valid: SchemaArbitraries, hostile: SchemaArbitraries) {
  return fc.oneof(requestsFrom(operation, valid), { arbitrary: requestsFrom(operation, hostile), weight: 2 });
}

function requestsFrom(operation: Operation, arbitraries: SchemaArbitraries): fc.Arbitrary<FuzzRequest> {
  const { hostile } = arbitraries;
  const inPath = operation.parameters.filter((p) => p.in === 'path');
  const inQuery = operation.parameters.filter((p) => p.in === 'query');
  const inHeaders = operation.parameters.filter((p) => p.in === 'header');
  for (const parameter of operation.parameters) {
    if (!['path', 'query', 'header'].includes(parameter.in)) {
      throw new Error(`No generator: ${operation.key} has a parameter in ${parameter.in}`);
    }
  }
  const segments = fc.record(Object.fromEntries(inPath.map((p) => [p.name, segmentFor(arbitraries, p)])));
  const query = fc.tuple(
    fc.record(Object.fromEntries(inQuery.map((p) => [p.name, arbitraries.valueFor(p.schema, p.name)])), {
      requiredKeys: inQuery.filter((p) => p.required).map((p) => p.name),
    }) as fc.Arbitrary<Record<string, Json>>,
    hostile
      ? fc.option(
          fc.constantFrom('&%', '&a=%zz', '&&&', '&=x', `&limit=${'9'.repeat(400)}`, '&url=%00', '&%FF=%FE'),
        )
      : fc.constant(null),
  );
  // Header values are bytes: what Fetch refuses (NUL, CR, LF, code points past U+00FF) no client can send.
  const headerValue = (value: Json) => asText(value).replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
  const headers = fc.record({
    params: fc.record(
      Object.fromEntries(
        inHeaders.map((p) => [p.name, arbitraries.valueFor(p.schema, p.name).map(headerValue)]),
      ),
      { requiredKeys: [] },
    ) as fc.Arbitrary<Record<string, string>>,
    origin: hostile
      ? fc.option(fc.constantFrom('https://evil.example', 'null', 'http://localhost'), { freq: 8 })
      : fc.constant(null),
    contentType: hostile
      ? fc.oneof(
          { arbitrary: fc.constant('application/json'), weight: 12 },
          fc.constantFrom(...CONTENT_TYPES),
        )
      : fc.constant('application/json'),
  });
  const shapedBody = operation.body
    ? arbitraries.valueFor(operation.body).map((value) => JSON.stringify(value))
    : fc.constant(undefined);
  const body = hostile
    ? fc.oneof({ arbitrary: shapedBody, weight: 6 }, { arbitrary: rawBody, weight: 1 })
    : shapedBody;
  // Admin operations are sent as the signed-in owner, and now and then (hostile) anonymously.
  const anonymous = hostile ? fc.integer({ min: 0, max: 3 }).map((n) => n === 0) : fc.constant(false);
  return fc
    .record({ segments, query, headers, body, anonymous })
    .map(({ segments, query: [values, tail], headers, body, anonymous }) => {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(values)) {
        for (const each of Array.isArray(value) ? value : [value]) search.append(name, asText(each));
      }
      const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => segments[name] ?? '');
      const queryString = `${search}${tail ?? ''}`;
      const sent: Record<string, string> = { ...headers.params, 'Content-Type': headers.contentType };
      if (headers.origin) sent.Origin = headers.origin;
      return {
        path: queryString ? `${path}?${queryString}` : path,
        method: operation.method,
        body: operation.method === 'GET' ? undefined : body,
        headers: sent,
        anonymous,
      };
    });
}

interface FuzzTarget {
  app: ParleyApp;
  /** What the app logged as unexpected: the cause of any 500. */
  errors: unknown[];
  close(): Promise<void>;
}

function fuzzTarget(store: Store, close: () => Promise<void>): FuzzTarget {
  const errors: unknown[] = [];
  const app = createApp({
    store,
    config: configFromEnv({
      ...TARGET_ENV,
      // Limits would turn most cases into 429s after the first few; the fuzzer wants to get past them.
      PARLEY_RATE_LIMIT_MAX: '1000000',
      PARLEY_PREVIEW_LIMIT_MAX: '1000000',
      PARLEY_SIGN_IN_LIMIT_MAX: '1000000',
      PARLEY_VOTE_LIMIT_MAX: '1000000',
    }),
    clientAddress: (c) => c.req.header(CLIENT_HEADER),
    logError: (error) => errors.push(error),
    // Webhooks the fuzzer adds point at generated hosts: their deliveries fail here instead of on the network.
    webhookFetch: () => Promise.reject(new Error('No network while fuzzing')),
    // With a mailer, privacy requests go all the way (limits, the link's token) instead of answering 503 mail_off.
    mailer: { enqueue: async () => {} },
  });
  return { app, errors, close };
}

async function openSqlite(): Promise<FuzzTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-fuzz-'));
  const store = kyselyStore(openDatabase(`file:${join(dir, 'parley.db')}`));
  await store.migrate();
  return fuzzTarget(store, async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
}

async function openPostgres(): Promise<FuzzTarget> {
  const { db, drop } = await openPgSchema();
  const store = kyselyStore(db);
  await store.migrate();
  return fuzzTarget(store, async () => {
    await store.close();
    await drop();
  });
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${ANSWER_WITHIN_MS} ms`)),
      ANSWER_WITHIN_MS,
    );
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The body; of a live stream, which never ends, what it sends first. */
async function bodyOf(res: Response): Promise<string> {
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) return res.text();
  const reader = res.body?.getReader();
  const first = await reader?.read();
  await reader?.cancel();
  return new TextDecoder().decode(first?.value);
}

/** What is wrong with the answer, or undefined when it is one the API may give. */
function problemWith(status: number, contentType: string, text: string): string | undefined {
  if (status >= 500) return `answered ${status}`;
  if (status < 400) return undefined;
  if (!/^application\/json/.test(contentType)) return `a ${status} that is not JSON (${contentType})`;
  let body: ErrorBody;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    return `a ${status} whose body does not parse`;
  }
  const error = body?.error;
  if (!error || !(ERROR_CODES as readonly string[]).includes(error.code))
    return `a ${status} without a known code`;
  if (typeof error.message !== 'string' || error.message.length === 0) return `a ${status} without a message`;
  if (status === 422 && Object.keys(error.fields ?? {}).length === 0) return 'a 422 that names no field';
  return undefined;
}

const tally = {
  operations: new Set<string>(),
  cases: 0,
  serverErrors: 0,
  statuses: new Map<number, number>(),
};

function fuzzSuite(name: string, open: () => Promise<FuzzTarget>) {
  describe(`fuzzing every operation on ${name}`, () => {
    let target: FuzzTarget;
    let document: OpenApiDocument;
    let valid: SchemaArbitraries;
    let hostile: SchemaArbitraries;
    let owner: { cookie: string; csrf: string };
    let clients = 0;

    const call = (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set(CLIENT_HEADER, `198.18.${Math.floor(++clients / 250) % 250}.${clients % 250}`);
      return Promise.resolve(target.app.request(path, { ...init, headers }));
    };

    async function signIn() {
      const res = await call('/admin/api/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(OWNER),
      });
      expect(res.status).toBe(200);
      const cookie = res.headers.get('set-cookie')?.match(/parley_session=[^;]*/)?.[0] ?? '';
      owner = { cookie, csrf: ((await res.json()) as SessionView).csrfToken };
    }

    /** A few rows to aim at, so that generated ids sometimes name something that exists. */
    async function seed(): Promise<string[]> {
      const post = async (input: Record<string, unknown>) => {
        const res = await call('/api/comments', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ url: 'https://blog.example/fuzz/', body: 'A *seed* comment', ...input }),
        });
        expect(res.status).toBe(201);
        return (await res.json()) as CreatedComment;
      };
      const first = await post({ name: 'Ada', email: 'ada@example.com' });
      const reply = await post({ parentId: first.comment.id, name: 'Grace' });
      const admin = (method: string, path: string, body?: unknown) =>
        call(`/admin/api${path}`, {
          method,
          headers: { 'Content-Type': 'application/json', Cookie: owner.cookie, 'X-CSRF-Token': owner.csrf },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
      const queue = (await (await admin('GET', '/comments')).json()) as {
        comments: Array<{ thread: { id: string } }>;
      };
      const {
        bans: [ban],
      } = (await (
        await admin('POST', '/sites/default/bans', { commentId: reply.comment.id, kinds: ['client'] })
      ).json()) as { bans: Array<{ id: string }> };
      await admin('POST', '/sites', { id: 'second', name: 'Second', origins: ['https://second.example'] });
      return [
        first.comment.id,
        reply.comment.id,
        `Bearer ${first.editToken}`,
        queue.comments[0]?.thread.id ?? '',
        ban?.id ?? '',
        'default',
        'second',
        'https://blog.example/fuzz/',
      ].filter(Boolean);
    }

    beforeAll(async () => {
      target = await open();
      await signIn();
      document = (await (await call('/api/openapi.json')).json()) as OpenApiDocument;
      const pools = { strings: await seed() };
      valid = new SchemaArbitraries(document, pools, false);
      hostile = new SchemaArbitraries(document, pools, true);
    });
    afterAll(() => target?.close());

    it('has a generator for every operation in the OpenAPI document', () => {
      const operations = operationsOf(document);
      expect(operations.length).toBeGreaterThan(30);
      for (const operation of operations)
        expect(() => requestsFor(operation, valid, hostile), operation.key).not.toThrow();
    });

    // Tests are named before any store is open: the document comes from an app that is never sent a request, and
    // createApp touches its store only for requests.
    const listed = operationsOf(
      JSON.parse(
        JSON.stringify(
          createApp({ store: {} as Store }).getOpenAPI31Document({
            openapi: '3.1.0',
            info: { title: '', version: '' },
          }),
        ),
      ) as OpenApiDocument,
    );
    for (const { key } of listed) {
      it(`${key}: no 5xx, no hang, errors as JSON`, { timeout: RUNS * 500 + 30_000 }, async () => {
        const operation = operationsOf(document).find((each) => each.key === key);
        if (!operation) throw new Error(`${key} is not in the served document`);
        const requests = requestsFor(operation, valid, hostile);
        tally.operations.add(key);
        await fc.assert(
          fc.asyncProperty(requests, async (request) => {
            if (ENDS_SESSIONS.has(key)) await signIn();
            const headers = { ...request.headers };
            if (key.includes(' /admin/api/') && !request.anonymous) {
              headers.Cookie = owner.cookie;
              headers['X-CSRF-Token'] = owner.csrf;
            }
            const logged = target.errors.length;
            tally.cases++;
            const what = `${request.method} ${request.path.slice(0, 300)}`;
            const res = await within(
              call(request.path, { method: request.method, headers, body: request.body }),
              what,
            );
            const text = await within(bodyOf(res), what);
            const problem = problemWith(res.status, res.headers.get('content-type') ?? '', text);
            if (res.status >= 500) tally.serverErrors++;
            tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
            if (problem) {
              const cause = target.errors
                .slice(logged)
                .map((error) => (error instanceof Error ? error.stack : String(error)));
              throw new Error(`${what}: ${problem}\n${text.slice(0, 500)}\n${cause.join('\n')}`);
            }
          }),
          { numRuns: RUNS, endOnFailure: true, ...(SEED !== undefined && { seed: SEED }) },
        );
      });
    }
  });
}

fuzzSuite('SQLite (file)', openSqlite);
describe.runIf(pgAvailable)('PostgreSQL', () => fuzzSuite('PostgreSQL', openPostgres));

afterAll(() => {
  console.log(
    `[fuzz] ${tally.operations.size} operations, ${tally.cases} cases (${RUNS} per operation and store), ` +
      `${tally.serverErrors} answered 5xx; by status: ${[...tally.statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status}×${count}`)
        .join(' ')}`,
  );
});
