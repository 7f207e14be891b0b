import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from '../app.ts';
import { createBackground } from '../background.ts';
import { clientAddressBehind, parseProxyTrust } from '../client-address.ts';
import { configFromEnv } from '../config.ts';
import { zlibCompressor } from '../node/compression.ts';
import { DEFAULT_DATABASE_URL, openDatabase } from '../node/database.ts';
import { listen } from '../node/http-server.ts';
import { stopOnSignals } from '../node/shutdown.ts';
import { announce, migrateWhenReachable } from '../node/startup.ts';
import { diskAssets } from '../node/static-files.ts';
import { registerStaticRoutes } from '../routes/static.ts';
import { kyselyStore } from '../store/kysely-store.ts';

const env = process.env;
const databaseUrl = env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const store = kyselyStore(openDatabase(databaseUrl));
await migrateWhenReachable(store);

const proxyTrust = parseProxyTrust(env.PARLEY_TRUST_PROXY);
const background = createBackground((error) => console.error('[parley]', error));
const app = createApp({
  store,
  background,
  config: configFromEnv(env),
  compressor: zlibCompressor,
  clientAddress: (c) =>
    clientAddressBehind(proxyTrust, getConnInfo(c).remote.address, c.req.header('X-Forwarded-For')),
});
registerStaticRoutes(app, diskAssets(env.PARLEY_DIST ?? 'dist'));

// Retries (webhook deliveries) fall due between writes.
setInterval(() => void background.run(), 30_000).unref();

const hostname = env.HOST ?? '127.0.0.1';
const server = await listen(app.fetch, { port: Number(env.PORT ?? 8787), hostname });
stopOnSignals(server, () => store.close());
const database = databaseUrl.startsWith('file:') ? 'SQLite' : 'PostgreSQL';
await announce(store, configFromEnv(env), { server, hostname, database });
