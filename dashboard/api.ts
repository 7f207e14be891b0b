/** Every way an admin request can fail, as data: the server's `{ error }` body, or `network` when nothing came back. */
export interface Failure {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string> | undefined;
  /** Seconds, from `Retry-After` on a 429. */
  retryAfter?: number | undefined;
}

export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export const API = '/admin/api';

let csrfToken = '';
let unauthorized: () => void = () => {};

/** The session's CSRF token, sent as `X-CSRF-Token` on every state-changing request; empty when signed out. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** The session's CSRF token, for requests `api()` cannot make (an upload that reports its progress). */
export const currentCsrfToken = (): string => csrfToken;

/** What to do on a 401 from any route: the app shows the sign-in page. */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

/**
 * `fetch` for `/admin/api` that never throws. Sends the session cookie (same origin only) and, on anything but a
 * GET, the CSRF token (docs/admin-api.md, "Rules every route follows").
 *
 * @example const result = await api<Stats>('/stats?site=blog');
 */
export async function api<T>(
  path: string,
  options: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: unknown } = {},
): Promise<Result<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(API + path, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      credentials: 'same-origin',
    });
  } catch {
    return fail(0, 'network', 'Could not reach the server. Check the connection and try again.');
  }
  if (response.status === 204) return { ok: true, value: undefined as T };
  const data: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, value: data as T };
  if (response.status === 401) unauthorized();
  const error = (data as { error?: Partial<Failure> } | null)?.error;
  return {
    ok: false,
    failure: {
      status: response.status,
      code: error?.code ?? 'internal',
      message: error?.message ?? `The server answered ${response.status} ${response.statusText}.`,
      fields: error?.fields,
      retryAfter: Number(response.headers.get('retry-after')) || undefined,
    },
  };
}

function fail(status: number, code: string, message: string): Result<never> {
  return { ok: false, failure: { status, code, message } };
}

/** A failure in words for the person at the dashboard. The server's messages are written for people already. */
export function describeFailure(failure: Failure): string {
  switch (failure.code) {
    case 'rate_limited':
      return `Too many attempts. Try again in ${failure.retryAfter ?? 60} seconds.`;
    case 'csrf':
      return 'This page is out of date with your session. Reload the page and try again.';
    case 'forbidden':
      return `You do not have access to that. ${failure.message}`;
    case 'invalid_input':
      return failure.fields ? 'Please check the marked fields.' : failure.message;
    default:
      return failure.message;
  }
}

/** A query string from the defined values of `params`, with its `?`; empty when there are none. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
