import type { Hook } from '@hono/zod-openapi';
import { ApiError, fieldsFromIssues } from './errors.ts';

/** Turns a failed zod validation into 422 (a JSON body) or 400 (query, path, headers) naming the fields. */
// biome-ignore lint/suspicious/noExplicitAny: the hook serves every route, whatever its schema and env.
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (!result.success) {
    const inBody = result.target === 'json';
    throw new ApiError(
      inBody ? 422 : 400,
      'invalid_input',
      inBody ? 'Some fields need attention' : 'The query is not valid',
      fieldsFromIssues(result.error.issues),
    );
  }
};
