import { type AppDeps, createApp } from '../../server/app.ts';
import { createBackground } from '../../server/background.ts';
import { configFromEnv } from '../../server/config.ts';
import { createCommentEvents } from '../../server/events.ts';
import type { Store } from '../../server/store/store.ts';
import { type ApiTarget, TARGET_ENV } from '../api/target.ts';
import { ManualClock } from './manual-clock.ts';

const CLIENT_HEADER = 'X-Test-Client';

/**
 * The app called in-process (`app.request`), as Hono's own tests do, with a movable clock. `env` adds to or
 * overrides TARGET_ENV; `deps` adds parts such as a mail transport, a mailer, or a change channel shared with
 * other instances.
 */
export function inProcessTarget(
  store: Store,
  close: () => Promise<void>,
  env: Record<string, string> = {},
  deps: Partial<AppDeps> = {},
): ApiTarget {
  const clock = new ManualClock(Date.now());
  const events = createCommentEvents(() => {});
  const background = createBackground(() => {});
  const app = createApp({
    events,
    background,
    store,
    clock,
    config: configFromEnv({ ...TARGET_ENV, ...env }),
    clientAddress: (c) => c.req.header(CLIENT_HEADER),
    logError: () => {},
    ...deps,
  });
  return {
    // Hono's app.request() puts a bare path on this origin.
    origin: 'http://localhost',
    clock,
    events,
    background,
    close,
    request(path, init = {}, client = '203.0.113.1') {
      const headers = new Headers(init.headers);
      headers.set(CLIENT_HEADER, client);
      return Promise.resolve(app.request(path, { ...init, headers }));
    },
  };
}
