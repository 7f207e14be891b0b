import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../config.ts';
import { randomToken, sha256 } from '../crypto.ts';
import { isHttps } from '../http-guards.ts';
import type { SessionRow, UserRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

export const SESSION_COOKIE = 'parley_session';
/** The cookie reaches the dashboard and its API and nothing else of the origin. */
const COOKIE_PATH = '/admin';
// A session's last use is written at most this often, so reads do not turn into writes.
const TOUCH_EVERY_MS = 60_000;

/** Starts a session for a signed-in user: stores its hash and sets the cookie holding the token. */
export async function startSession(
  c: Context,
  store: Store,
  user: UserRow,
  now: number,
  config: Pick<Config, 'sessionTtlMs' | 'publicUrl'>,
) {
  const ttlMs = config.sessionTtlMs;
  const token = randomToken();
  const session: SessionRow = {
    id: await sha256(token),
    user_id: user.id,
    csrf_token: randomToken(),
    user_agent: (c.req.header('User-Agent') ?? '').slice(0, 300),
    created_at: now,
    last_seen_at: now,
    expires_at: now + ttlMs,
  };
  await store.insertSession(session);
  setCookie(c, SESSION_COOKIE, token, {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: 'Strict',
    secure: isHttps(c, config.publicUrl),
    maxAge: Math.floor(ttlMs / 1000),
  });
  return session;
}

/** The session and user behind the request's cookie, if any is valid; slides the session's expiry. */
export async function readSession(c: Context, store: Store, now: number, ttlMs: number) {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return undefined;
  const session = await store.getSession(await sha256(token), now);
  if (!session) return undefined;
  const user = await store.getUser(session.user_id);
  if (!user) return undefined;
  if (now - session.last_seen_at > TOUCH_EVERY_MS) {
    await store.touchSession(session.id, now, now + ttlMs);
  }
  return { session, user };
}

export function clearSessionCookie(c: Context, publicUrl: string | undefined) {
  deleteCookie(c, SESSION_COOKIE, {
    path: COOKIE_PATH,
    secure: isHttps(c, publicUrl),
    httpOnly: true,
    sameSite: 'Strict',
  });
}
