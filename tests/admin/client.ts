import { expect } from 'vitest';
import type { SessionView } from '../../shared/admin-schemas.ts';
import type { ErrorBody } from '../../shared/errors.ts';
import { type ApiTarget, TARGET_ENV } from '../api/target.ts';

export const OWNER = { email: TARGET_ENV.PARLEY_ADMIN_EMAIL, password: TARGET_ENV.PARLEY_ADMIN_PASSWORD };

/** A signed-in dashboard user as the API sees it: the session cookie plus the CSRF token. */
export interface AdminClient {
  session: SessionView;
  cookie: string;
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Sends and expects 2xx, returning the parsed body. */
  ok<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export function cookieFrom(res: Response): string {
  const header = res.headers.get('set-cookie') ?? '';
  const match = header.match(/parley_session=([^;]*)/);
  if (!match?.[1]) throw new Error(`No session cookie in: ${header}`);
  return `parley_session=${match[1]}`;
}

/** Sends a JSON request to the admin API with optional cookie and CSRF token. */
export function adminRequest(
  target: ApiTarget,
  method: string,
  path: string,
  options: {
    body?: unknown;
    cookie?: string;
    csrf?: string;
    headers?: Record<string, string>;
    client?: string;
  } = {},
) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...options.headers };
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.csrf) headers['X-CSRF-Token'] = options.csrf;
  const init: RequestInit = { method, headers };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  return target.request(`/admin/api${path}`, init, options.client);
}

export async function signIn(
  target: ApiTarget,
  email: string = OWNER.email,
  password: string = OWNER.password,
  client?: string,
) {
  const res = await adminRequest(target, 'POST', '/session', { body: { email, password }, client });
  expect(res.status, await res.clone().text()).toBe(200);
  return clientFor(target, cookieFrom(res), (await res.json()) as SessionView);
}

export function clientFor(target: ApiTarget, cookie: string, session: SessionView): AdminClient {
  const send = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    adminRequest(target, method, path, { body, cookie, csrf: session.csrfToken, headers });
  return {
    session,
    cookie,
    send,
    async ok<T>(method: string, path: string, body?: unknown) {
      const res = await send(method, path, body);
      expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
      return (await res.json()) as T;
    },
  };
}

export async function expectAdminError(res: Response, status: number, code: string, field?: string) {
  expect(res.status, await res.clone().text()).toBe(status);
  const body = (await res.json()) as ErrorBody;
  expect(body.error.code).toBe(code);
  if (field) expect(body.error.fields?.[field]).toBeTruthy();
  return body;
}
