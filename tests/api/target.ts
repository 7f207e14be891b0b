import type { Background } from '../../server/background.ts';
import type { CommentEvents } from '../../server/events.ts';
import type { ManualClock } from '../support/manual-clock.ts';

/** The settings every API target runs with, so the shared suite can rely on them. */
export const TARGET_ENV = {
  PARLEY_RATE_LIMIT_MAX: '5',
  PARLEY_RATE_LIMIT_WINDOW_MS: '60000',
  PARLEY_EDIT_WINDOW_MS: '900000',
  PARLEY_MAX_DEPTH: '3',
  PARLEY_SECRET: 'test-secret',
  PARLEY_ADMIN_EMAIL: 'owner@example.test',
  PARLEY_ADMIN_PASSWORD: 'correct horse battery staple',
  PARLEY_PASSWORD_ITERATIONS: '1000',
  PARLEY_SIGN_IN_LIMIT_MAX: '5',
  PARLEY_OWN_LIMIT_MAX: '5',
  PARLEY_VOTE_LIMIT_MAX: '6',
} as const;

/**
 * A running Parley app the API suite talks to: in-process over SQLite or PostgreSQL, or the Worker inside workerd
 * over D1. Each call of `client(name)` gives requests from a distinct client address, so rate limits apply per
 * client as in production.
 */
export interface ApiTarget {
  /** The origin requests reach the app at, as the app sees it (what a browser there would put in client data). */
  origin: string;
  request(path: string, init?: RequestInit, client?: string): Promise<Response>;
  /** Present when the target's clock can be moved (in-process targets only). */
  clock?: ManualClock;
  /** The app's comment events (in-process targets only). */
  events?: CommentEvents;
  /** The app's background tasks, to run them now (in-process targets only). */
  background?: Background;
  close(): Promise<void>;
}
