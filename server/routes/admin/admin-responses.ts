import { ErrorSchema } from '../../../shared/schemas.ts';

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

/** Error responses every admin route may give, for the OpenAPI document. */
export const ADMIN_ERRORS = {
  400: error('Malformed JSON or query'),
  401: error('Not signed in, or the session has ended'),
  403: error('No access to that site, or a missing CSRF token'),
  404: error('Not found'),
  422: error('A field is invalid; `fields` names it'),
  429: error('Too many attempts; see Retry-After'),
} as const;
