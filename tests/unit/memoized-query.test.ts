import { z } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../server/errors.ts';
import { memoizedQuery } from '../../server/validation.ts';
import { ThreadQuerySchema } from '../../shared/schemas.ts';

/*
 * The thread route validates its query through `memoizedQuery`, once per distinct query text. It must answer
 * exactly as the routes validated by zod-openapi and `validationHook` do: the same 400, naming the same fields,
 * every time, and only the parse itself is saved.
 */

function appWith<T>(schema: z.ZodType<T>) {
  const query = memoizedQuery(schema);
  const app = new Hono();
  app.get('/q', (c) => c.json({ query: query(c) }));
  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.toBody(), error.status);
    throw error;
  });
  return app;
}

describe('a query validated once per distinct text', () => {
  it('parses each distinct query once, and answers every repeat alike', async () => {
    let parses = 0;
    const app = appWith(
      z.object({ a: z.string() }).transform((value) => {
        parses++;
        return value;
      }),
    );
    const first = await (await app.request('/q?a=1')).json();
    expect(await (await app.request('/q?a=1')).json()).toEqual(first);
    expect(parses).toBe(1);
    expect(await (await app.request('/q?a=2')).json()).toEqual({ query: { a: '2' } });
    expect(parses).toBe(2);
  });

  it('refuses an invalid query with the same 400 every time', async () => {
    const app = appWith(ThreadQuerySchema);
    for (let i = 0; i < 2; i++) {
      const res = await app.request('/q?url=ftp%3A%2F%2Fexample.com%2F&limit=0');
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
      expect(error.code).toBe('invalid_input');
      expect(Object.keys(error.fields).sort()).toEqual(['limit', 'url']);
    }
  });

  it('refuses a NUL in a parameter the schema does not name, as the hook does', async () => {
    const app = appWith(ThreadQuerySchema);
    const res = await app.request('/q?url=https%3A%2F%2Fexample.com%2F&extra=a%00b');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty(
      'extra',
    );
  });

  it('gives a parameter sent twice to the schema as a list, as Hono’s validator does', async () => {
    const app = appWith(z.object({ a: z.union([z.string(), z.array(z.string())]) }));
    expect(await (await app.request('/q?a=1&a=2')).json()).toEqual({ query: { a: ['1', '2'] } });
  });
});
