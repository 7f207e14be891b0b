import type { ErrorBody, ErrorCode } from '../shared/errors.ts';

/** Every way a request can fail, as data: the server's error codes, plus `network` when nothing came back. */
export interface Failure {
  code: ErrorCode | 'network';
  message: string;
  fields?: Record<string, string> | undefined;
  /** Seconds, from `Retry-After` on a 429. */
  retryAfter?: number | undefined;
}

export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Edit token; sent as a bearer token. */
  token?: string | undefined;
}

/**
 * `fetch` that never throws. A GET carries no custom header so that it stays a simple CORS request (no
 * preflight); cookies are never sent.
 */
export async function request<T>(
  url: string,
  { method, body, token }: RequestOptions = {},
): Promise<Result<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    // No method is GET; no body (JSON.stringify(undefined) is undefined) sends none.
    response = await fetch(url, { method, headers, body: JSON.stringify(body), credentials: 'omit' });
  } catch (error) {
    return { ok: false, failure: { code: 'network', message: String(error) } };
  }
  const data: unknown = await response.json().catch(() => null);
  if (response.ok && data) return { ok: true, value: data as T };
  const error = (data as ErrorBody | null)?.error;
  return {
    ok: false,
    failure: {
      code: error?.code ?? (response.status >= 500 ? 'unavailable' : 'internal'),
      message: error?.message ?? `HTTP ${response.status}`,
      fields: error?.fields,
      // Readable cross-origin only if the server lists it in Access-Control-Expose-Headers.
      retryAfter: Number(response.headers.get('retry-after')) || undefined,
    },
  };
}
