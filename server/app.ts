import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { compress } from 'hono/compress';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { AppContext, ParleyApp } from './app-context.ts';
import { type Background, createBackground } from './background.ts';
import { type Clock, type Config, DEFAULT_CONFIG, systemClock } from './config.ts';
import { keyedHash, randomToken } from './crypto.ts';
import { ApiError, unavailableError } from './errors.ts';
import { type CommentEvents, createCommentEvents, observedStore } from './events.ts';
import type { Compressor } from './http-encoding.ts';
import { answerHeaders, jsonRequests, publicCors } from './http-guards.ts';
import { inProcessChanges, type ThreadChanges } from './live/changes.ts';
import { createLiveHub, type LiveStreams } from './live/hub.ts';
import { createLiveParts } from './live/live-parts.ts';
import type { Mailer } from './mail/mailer.ts';
import { mailNotifications } from './mail/notifications.ts';
import { createOutbox } from './mail/outbox.ts';
import type { MailTransport } from './mail/transport.ts';
import { createRateLimiter } from './rate-limit.ts';
import { ReadsApartRouter } from './reads-apart-router.ts';
import { createResponseCache } from './response-cache.ts';
import { createAdminApp } from './routes/admin/admin-app.ts';
import { registerCommentRoutes } from './routes/comments.ts';
import { registerFeedRoutes } from './routes/feeds.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerLiveRoutes } from './routes/live.ts';
import { registerMailPages } from './routes/mail-pages.ts';
import { registerOpenApiRoute } from './routes/openapi.ts';
import { registerPrivacyRoutes } from './routes/privacy.ts';
import { registerCountRoutes, registerThreadRoutes } from './routes/thread.ts';
import { registerThreadPageRoutes } from './routes/thread-page.ts';
import { registerVoteRoutes } from './routes/votes.ts';
import type { Store } from './store/store.ts';
import { logUnlessOutage, StoreUnavailableError } from './store/unavailable.ts';
import { validationHook } from './validation.ts';
import { startWebhooks } from './webhooks/deliveries.ts';

export type { ParleyApp } from './app-context.ts';

const CLIENT_HASHES_KEPT = 10_000;

export interface AppDeps {
  store: Store;
  clock?: Clock;
  config?: Config;
  /** The client's IP address as the runtime knows it; only ever stored as a keyed hash. */
  clientAddress?: (c: Context) => string | undefined;
  /** Where unexpected errors go; defaults to console.error. */
  logError?: (error: unknown) => void;
  /**
   * Compresses answers for clients that accept it. Left out where the platform compresses on its own: Workers
   * re-encode any body whose Content-Encoding a Worker sets, so compressing there would compress twice.
   */
  compressor?: Compressor;
  /** Told of every comment written; made here when not given. Entry points pass one to add followers of their own. */
  events?: CommentEvents;
  /** Tasks run outside requests (outboxes); made here when not given. The entry point decides when they run. */
  background?: Background;
  /**
   * What delivers mail (SMTP on Node, an HTTP API on Workers); mail is on when this and `config.mail`
   * (`PARLEY_MAIL_FROM`) are both given.
   */
  mailTransport?: MailTransport;
  /** Where mail goes; absent when no mail is configured. */
  mailer?: Mailer;
  /** How webhook deliveries reach the network; the global fetch unless given (the fuzzer keeps them in). */
  webhookFetch?: typeof fetch;
  /** How instances tell each other of changes (PostgreSQL's LISTEN/NOTIFY); this process alone when not given. */
  changes?: ThreadChanges;
  /** Where live streams are held (a Durable Object per thread on Workers); in this process when not given. */
  live?: LiveStreams;
}

/** Keeps a Worker alive until the followers of the request's writes are done; Node needs no such help. */
const settleEvents = (events: CommentEvents) => {
  // Hono tells of a missing execution context by throwing, which cost ~20 µs a post; a process that had none once
  // is long-lived (Workers give one to every request) and need not ask again.
  let longLived = false;
  return createMiddleware(async (c, next) => {
    // Reads write nothing, and every page view comes this way.
    if (c.req.method === 'GET') return next();
    await next();
    if (longLived) return;
    const work = events.settle();
    if (!work) return;
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      // No execution context: a long-lived process, which runs the work to its end anyway.
      longLived = true;
    }
  });
};

/**
 * Builds the Parley HTTP app from its dependencies. Imports nothing runtime-specific: the Node and Workers entry
 * points wrap it.
 *
 * @example
 * const app = createApp({ store: kyselyStore(db) });
 * const res = await app.request('/api/health');
 */
export function createApp(deps: AppDeps): ParleyApp {
  const config = deps.config ?? DEFAULT_CONFIG;
  const clock = deps.clock ?? systemClock;
  const logError = deps.logError ?? ((error: unknown) => console.error('[parley]', error));
  const events = deps.events ?? createCommentEvents(logUnlessOutage(logError));
  const live = deps.live ?? createLiveHub({ maxStreams: config.liveMaxStreams });
  const { store, versions } = createLiveParts({
    store: observedStore(deps.store, events),
    events,
    changes: deps.changes ?? inProcessChanges(logUnlessOutage(logError)),
    streams: live,
    config,
    logError,
  });

  let secretPromise: Promise<string> | undefined;
  const secret = () => {
    secretPromise ??= config.secret
      ? Promise.resolve(config.secret)
      : store.getOrCreateSetting('secret', randomToken()).catch((error: unknown) => {
          secretPromise = undefined;
          throw error;
        });
    return secretPromise;
  };

  // Every write and preview needs its client's keyed hash; the same few addresses come back again and again.
  const clientHashes = new Map<string, string>();

  const background = deps.background ?? createBackground(logUnlessOutage(logError));
  const outbox =
    deps.mailTransport && config.mail
      ? createOutbox({ store, clock, transport: deps.mailTransport, settings: config.mail, logError })
      : undefined;

  const ctx: AppContext = {
    store,
    clock,
    config,
    secret,
    clientHash: async (c) => {
      const address = deps.clientAddress?.(c) ?? 'unknown';
      let hash = clientHashes.get(address);
      if (hash === undefined) {
        hash = (await keyedHash(await secret(), `ip:${address}`)).slice(0, 32);
        if (clientHashes.size >= CLIENT_HASHES_KEPT) clientHashes.clear();
        clientHashes.set(address, hash);
      }
      return hash;
    },
    clientAddress: (c) => deps.clientAddress?.(c),
    publicOrigin: (c) => new URL(config.publicUrl ?? c.req.url).origin,
    logError,
    limits: createRateLimiter(store, clock),
    cache: createResponseCache(),
    compressor: deps.compressor,
    events,
    background,
    mailer: deps.mailer ?? outbox?.mailer,
    versions,
    live,
  };

  startWebhooks(ctx, deps.webhookFetch ?? ((input, init) => fetch(input, init)));

  const app = new OpenAPIHono({ defaultHook: validationHook, router: new ReadsApartRouter() });

  // Ahead of every middleware: a page view, the most frequent request by far, sets its headers itself.
  registerThreadRoutes(app, ctx);

  if (outbox && config.mail) {
    const notifications = mailNotifications(ctx, outbox, config.mail);
    background.add(notifications.replies);
    background.add(outbox.task);
    events.listen(notifications.follow);
    const seen = createMiddleware(async (c, next) => {
      notifications.seen(ctx.publicOrigin(c));
      await next();
    });
    app.use('/api/comments', seen);
    app.use('/admin/api/*', seen);
  }

  app.use('*', answerHeaders(config.publicUrl));
  app.use('/api/*', publicCors, jsonRequests);
  app.use('/admin/api/*', jsonRequests);
  app.use('/api/comments/*', settleEvents(events));
  app.use('/admin/api/*', settleEvents(events));
  app.use('/mail/*', settleEvents(events));
  app.use('/privacy', settleEvents(events));
  if (deps.compressor) {
    // Thread pages compress themselves from the cache; these others are large enough to gain and rare enough to
    // compress on every request.
    app.use('/api/openapi.json', compress());
    app.use('/admin/api/*', compress());
  }

  registerHealthRoutes(app, ctx);
  registerCountRoutes(app, ctx);
  registerLiveRoutes(app, ctx);
  registerCommentRoutes(app, ctx);
  registerVoteRoutes(app, ctx);
  registerThreadPageRoutes(app, ctx);
  registerMailPages(app, ctx);
  registerFeedRoutes(app, ctx);
  registerPrivacyRoutes(app, ctx);
  app.route('/admin/api', createAdminApp(ctx));
  registerOpenApiRoute(app);

  app.notFound((c) => c.json(new ApiError(404, 'not_found', 'No such endpoint').toBody(), 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      return c.json(error.toBody(), error.status, error.headers);
    }
    if (error instanceof StoreUnavailableError) {
      // Not logged: the outage log has said it once, and a line per request would bury it.
      const unavailable = unavailableError();
      return c.json(unavailable.toBody(), 503, unavailable.headers);
    }
    if (error instanceof HTTPException && error.status === 400) {
      // Hono's validator throws this for a body that is not JSON.
      return c.json(new ApiError(400, 'invalid_json', 'The body is not valid JSON').toBody(), 400);
    }
    logError(error);
    return c.json(new ApiError(500, 'internal', 'Something went wrong on our side; try again').toBody(), 500);
  });

  return app;
}
