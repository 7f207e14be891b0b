import { Kysely } from 'kysely';
import { createApp, type ParleyApp } from '../app.ts';
import { type Background, createBackground } from '../background.ts';
import { configFromEnv } from '../config.ts';
import { ApiError } from '../errors.ts';
import { durableLiveStreams, type RoomNamespace } from '../live/thread-room.ts';
import { httpTransport } from '../mail/http-transport.ts';
import { type Assets, registerStaticRoutes } from '../routes/static.ts';
import { D1Dialect, d1Batch, d1Unavailable } from '../store/d1-dialect.ts';
import { kyselyStore } from '../store/kysely-store.ts';
import type { Database } from '../store/schema.ts';
import { guardDialect, logUnlessOutage } from '../store/unavailable.ts';

/** The bindings wrangler.jsonc declares, and the PARLEY_* settings as vars (`vars`, or .dev.vars locally). */
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
  /** One Durable Object per thread, holding its live streams. */
  LIVE: RoomNamespace;
  [setting: string]: unknown;
}

/** Built files from the static assets binding; wrangler.jsonc turns off its HTML redirects so paths are exact. */
function bindingAssets(binding: Fetcher): Assets {
  return {
    async get(path) {
      const file = await binding.fetch(new URL(path, 'https://assets.invalid'));
      return file.ok ? file : undefined;
    },
  };
}

export { ThreadRoom } from '../live/thread-room.ts';

let ready: Promise<{ app: ParleyApp; background: Background }> | undefined;

/** Builds the app and migrates D1 once per isolate; after a failure the next request tries again. */
function appFor(env: Env): Promise<{ app: ParleyApp; background: Background }> {
  ready ??= (async () => {
    const dialect = guardDialect(new D1Dialect({ database: env.DB }), d1Unavailable);
    const store = kyselyStore(new Kysely<Database>({ dialect }), d1Batch(env.DB));
    await store.migrate();
    const vars = Object.entries(env).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    );
    const settings: Record<string, string> = Object.fromEntries(vars);
    const background = createBackground(logUnlessOutage((error) => console.error('[parley]', error)));
    const app = createApp({
      store,
      config: configFromEnv(settings),
      clientAddress: (c) => c.req.header('CF-Connecting-IP'),
      background,
      // Workers open no SMTP sockets here: mail goes through an HTTP mail API (docs/admin-api.md, "Mail").
      ...(settings.PARLEY_MAIL_HTTP_URL && {
        mailTransport: httpTransport(settings.PARLEY_MAIL_HTTP_URL, settings.PARLEY_MAIL_HTTP_KEY ?? ''),
      }),
      live: durableLiveStreams(env.LIVE),
    });
    registerStaticRoutes(app, bindingAssets(env.ASSETS));
    return { app, background };
  })().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

export default {
  async fetch(request, env, ctx) {
    const built = await appFor(env).catch((error: unknown) =>
      console.error('[parley] D1 is not ready', error),
    );
    if (built) return built.app.fetch(request, env, ctx);
    const body = new ApiError(503, 'unavailable', 'The database is not ready; try again shortly').toBody();
    return Response.json(body, {
      status: 503,
      headers: { 'Retry-After': '5', 'X-Content-Type-Options': 'nosniff' },
    });
  },
  /** The cron trigger in wrangler.jsonc: mail retries and reply batches that no request set off. */
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(appFor(env).then(({ background }) => background.run()));
  },
} satisfies ExportedHandler<Env>;
