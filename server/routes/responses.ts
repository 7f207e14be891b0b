import { z } from '@hono/zod-openapi';
import { ErrorSchema } from '../../shared/schemas.ts';
import { text } from '../../shared/text.ts';

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

/** Error responses shared by the public routes, for the OpenAPI document. */
export const ERROR_RESPONSES = {
  400: error('Malformed JSON or query'),
  413: error('Body too large'),
  415: error('Body is not application/json'),
  422: error('A field is invalid; `fields` names it'),
  429: error('Too many requests; see Retry-After'),
} as const;

/** Errors of any request naming a site. */
export const SITE_ERRORS = {
  403: error('The page is on an origin the site does not accept (`origin_not_allowed`)'),
  404: error('No such site'),
} as const;

export const AUTHOR_ERRORS = {
  403: error('Wrong edit token, or the edit window has closed'),
  404: error('No such comment'),
} as const;

export const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON request body, for `createRoute({ request })`. */
export const jsonBody = <T>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

/** A path parameter such as `{id}` in a route's path. */
export const pathParam = (name: string) =>
  text()
    .max(40)
    .openapi({ param: { name, in: 'path' } });

/** Params of a route ending in `/{id}`. */
export const IdParams = z.object({ id: pathParam('id') });
