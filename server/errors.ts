import type { ErrorBody, ErrorCode } from '../shared/errors.ts';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 503;

/**
 * The one error type handlers throw; `onError` turns it into `{ error: { code, message, fields? } }`.
 *
 * @example throw new ApiError(422, 'invalid_input', 'Check the highlighted fields', { parentId: 'No such comment' })
 */
export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    /** Extra response headers, such as Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields && { fields: this.fields }) } };
  }
}

/** Seconds a client is asked to wait when the database does not answer. */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/** The answer while the store is unreachable: 503 with Retry-After, the same for every route. */
export function unavailableError(): ApiError {
  return new ApiError(
    503,
    'unavailable',
    'The database does not answer; try again in a few seconds',
    undefined,
    {
      'Retry-After': String(UNAVAILABLE_RETRY_AFTER_S),
    },
  );
}

/** Turns zod issues into the `fields` map: dotted path to the first message for that path. */
export function fieldsFromIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
) {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const name = issue.path.map(String).join('.') || '_';
    fields[name] ??= issue.message;
  }
  return fields;
}
