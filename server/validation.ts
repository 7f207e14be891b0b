import type { Hook, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { hasNul, NUL_MESSAGE } from '../shared/text.ts';
import { ApiError, fieldsFromIssues } from './errors.ts';

// Deeper than any schema goes; the bound keeps a body nested thousands deep from exhausting the stack.
const MAX_DEPTH = 64;

/**
 * Dotted paths (`comments.0.id`, as zod names fields) of the strings in a value that hold U+0000. A key holding one
 * names its container; `_` is the input as a whole.
 */
function nulFields(value: unknown, path = '', found: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') {
    if (hasNul(value)) found.push(path || '_');
  } else if (typeof value === 'object' && value !== null && depth < MAX_DEPTH) {
    // Arrays too: their keys are the indexes, as in zod's dotted paths (`comments.0.id`).
    for (const [key, item] of Object.entries(value)) {
      if (hasNul(key)) found.push(path || '_');
      else nulFields(item, path ? `${path}.${key}` : key, found, depth + 1);
    }
  }
  return found;
}

/** The query as Hono's validator gives it to zod: a parameter sent once is a string, one sent again an array. */
function queryInput(c: Context): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(c.req.queries()).map(([key, values]) => [key, values.length === 1 ? values[0] : values]),
  ) as Record<string, string | string[]>;
}

/** The input as sent, before zod drops the keys it does not know; JSON is parsed again only when it holds a NUL. */
async function rawInput(c: Context, target: string): Promise<unknown> {
  switch (target) {
    case 'json': {
      // Read from Hono's cache: the validator has read the body already. A NUL can only be written `\u0000` in JSON.
      const body = await c.req.text();
      return /\\u0000/.test(body) ? JSON.parse(body) : undefined;
    }
    case 'query':
      return queryInput(c);
    case 'param':
      return c.req.param();
    default:
      return undefined;
  }
}

/**
 * Turns a failed zod validation into 422 (a JSON body) or 400 (query, path, headers) naming the fields. Before
 * that, a U+0000 anywhere in the input as sent (a key, a value zod does not look into, a query parameter no
 * schema names) answers the same way as in a field: PostgreSQL cannot store it, so no store takes it.
 */
// biome-ignore lint/suspicious/noExplicitAny: the hook serves every route, whatever its schema and env.
export const validationHook: Hook<any, any, any, any> = async (result, c) => {
  const inBody = result.target === 'json';
  const invalid = (fields: Record<string, string>) =>
    new ApiError(
      inBody ? 422 : 400,
      'invalid_input',
      inBody ? 'Some fields need attention' : 'The query is not valid',
      fields,
    );
  const withNul = nulFields(await rawInput(c, result.target));
  if (withNul.length > 0) {
    throw invalid(Object.fromEntries(withNul.map((field) => [field, NUL_MESSAGE])));
  }
  if (!result.success) throw invalid(fieldsFromIssues(result.error.issues));
};

const invalidQuery = (fields: Record<string, string>) =>
  new ApiError(400, 'invalid_input', 'The query is not valid', fields);

/**
 * The query validated exactly as `validationHook` and a route's own validator would (the same NUL check, the same
 * 400 naming the fields), and remembered by its text: the widgets on a page ask the same question again and again,
 * and validating it anew was a fifth of the work of answering a cached read. For a route registered with
 * `app.get` beside `app.openAPIRegistry.registerPath`, so that the document still describes its query.
 *
 * @example
 * const threadQuery = memoizedQuery(ThreadQuerySchema);
 * app.get('/api/comments', (c) => { const { url, limit } = threadQuery(c); … });
 */
export function memoizedQuery<Output>(schema: z.ZodType<Output>, kept = 1000): (c: Context) => Output {
  const known = new Map<string, Output>();
  return (c) => {
    const url = c.req.url;
    const start = url.indexOf('?');
    const text = start < 0 ? '' : url.slice(start + 1);
    const hit = known.get(text);
    if (hit !== undefined) return hit;
    const input = queryInput(c);
    const withNul = nulFields(input);
    if (withNul.length > 0) {
      throw invalidQuery(Object.fromEntries(withNul.map((field) => [field, NUL_MESSAGE])));
    }
    const result = schema.safeParse(input);
    if (!result.success) throw invalidQuery(fieldsFromIssues(result.error.issues));
    if (known.size >= kept) known.delete(known.keys().next().value as string);
    known.set(text, result.data);
    return result.data;
  };
}
