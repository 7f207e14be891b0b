import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.ts';
import type { ApiTarget } from '../api/target.ts';
import { pgAvailable } from '../support/postgres.ts';
import { openPostgresTarget, openSqliteTarget } from '../support/targets.ts';

/*
 * What the fuzzer (fuzz.test.ts) found answering 5xx, each kept as a case, on SQLite and PostgreSQL. Add the next
 * one here with the fix.
 */

interface Found {
  name: string;
  path: string;
  body?: unknown;
  status: number;
  field: string;
}

const FOUND: Found[] = [
  {
    name: 'a thread URL that starts right but does not parse (a U+FFFD in the host)',
    path: `/api/comments?url=${encodeURIComponent('https://4ut7g\uFFFDhoyhlf.d8km6z5c.ds/')}`,
    status: 400,
    field: 'url',
  },
  { name: 'a thread URL without a host', path: '/api/comments?url=http://', status: 400, field: 'url' },
  {
    name: 'a count asked for a URL that does not parse',
    path: '/api/counts?url=https://a%20b/',
    status: 400,
    field: 'url.0',
  },
  {
    name: 'a comment on a URL that does not parse',
    path: '/api/comments',
    body: { url: 'https://[::1/', body: 'Hello' },
    status: 422,
    field: 'url',
  },
];

function foundSuite(name: string, open: () => Promise<ApiTarget>) {
  describe(`inputs the fuzzer found answering 5xx, on ${name}`, () => {
    let target: ApiTarget;
    beforeAll(async () => {
      target = await open();
    });
    afterAll(() => target?.close());

    for (const each of FOUND) {
      it(`answers ${each.status} naming ${each.field}: ${each.name}`, async () => {
        const res = await target.request(
          each.path,
          each.body === undefined
            ? {}
            : {
                method: 'POST',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify(each.body),
              },
        );
        expect(res.status, await res.clone().text()).toBe(each.status);
        expect(((await res.json()) as ErrorBody).error.fields?.[each.field]).toBeTruthy();
      });
    }
  });
}

foundSuite('SQLite (file)', () => openSqliteTarget());
describe.runIf(pgAvailable)('PostgreSQL', () => foundSuite('PostgreSQL', () => openPostgresTarget()));
