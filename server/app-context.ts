import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Background } from './background.ts';
import type { Clock, Config } from './config.ts';
import type { CommentEvents } from './events.ts';
import type { Compressor } from './http-encoding.ts';
import type { LiveStreams } from './live/hub.ts';
import type { ThreadVersions } from './live/thread-versions.ts';
import type { Mailer } from './mail/mailer.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { ResponseCache } from './response-cache.ts';
import type { Store } from './store/store.ts';

/*
 * What the app hands its routes. A module of its own, importing none of them: when it lived in app.ts, which
 * imports every route, each route that needed the type closed an import cycle through app.ts.
 */

/** What every route handler gets: the dependencies, resolved. */
export interface AppContext {
  store: Store;
  clock: Clock;
  config: Config;
  secret: () => Promise<string>;
  clientHash: (c: Context) => Promise<string>;
  /** The client's address as the runtime knows it, for services that need it at request time (Akismet); never stored. */
  clientAddress: (c: Context) => string | undefined;
  /** The origin people use to reach this server: `config.publicUrl` when set, else the request's own. */
  publicOrigin: (c: Context) => string;
  logError: (error: unknown) => void;
  limits: RateLimiter;
  cache: ResponseCache;
  /** Absent where the platform compresses answers itself (Workers). */
  compressor: Compressor | undefined;
  /** Every comment written, as it happens, for mail, webhooks and live threads. */
  events: CommentEvents;
  /** Work run outside requests; a route that queues work asks for a run (`background.run()`). */
  background: Background;
  /** Absent when no mail is configured: features that mail say so instead. */
  mailer: Mailer | undefined;
  /** The site and thread a page view starts from, kept in memory while the change channel vouches for them. */
  versions: ThreadVersions;
  /** Where readers' live streams are held. */
  live: LiveStreams;
}

export type ParleyApp = OpenAPIHono;
