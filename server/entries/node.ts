import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from '../app.ts';
import { clientAddressBehind, parseProxyTrust } from '../client-address.ts';
import { configFromEnv } from '../config.ts';
import { zlibCompressor } from '../node/compression.ts';
import { DEFAULT_DATABASE_URL, openDatabase } from '../node/database.ts';
import { diskAssets } from '../node/static-files.ts';
import { registerStaticRoutes } from '../routes/static.ts';
import { kyselyStore } from '../store/kysely-store.ts';

const env = process.env;
const databaseUrl = env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const store = kyselyStore(openDatabase(databaseUrl));
await store.migrate();

const proxyTrust = parseProxyTrust(env.PARLEY_TRUST_PROXY);
const app = createApp({
  store,
  config: configFromEnv(env),
  compressor: zlibCompressor,
  clientAddress: (c) =>
    clientAddressBehind(proxyTrust, getConnInfo(c).remote.address, c.req.header('X-Forwarded-For')),
});
registerStaticRoutes(app, diskAssets(env.PARLEY_DIST ?? 'dist'));

const port = Number(env.PORT ?? 8787);
const hostname = env.HOST ?? '127.0.0.1';
const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
  const shown = hostname === '127.0.0.1' ? 'localhost' : hostname;
  console.log(
    `[parley] listening on http://${shown}:${info.port} on ${databaseUrl.startsWith('file:') ? 'SQLite' : 'PostgreSQL'}`,
  );
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void store.close().finally(() => process.exit(0));
  });
}
