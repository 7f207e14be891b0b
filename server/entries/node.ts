import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from '../app.ts';
import { createBackground } from '../background.ts';
import { clientAddressBehind, parseProxyTrust } from '../client-address.ts';
import { configFromEnv } from '../config.ts';
import { useSyncHashing } from '../crypto.ts';
import { createLiveHub } from '../live/hub.ts';
import { BACKGROUND_INTERVAL_MS, runEvery } from '../node/background-timer.ts';
import { zlibCompressor } from '../node/compression.ts';
import { DEFAULT_DATABASE_URL, openDatabase } from '../node/database.ts';
import { nodeHashing } from '../node/hashing.ts';
import { listen } from '../node/http-server.ts';
import { pgChanges } from '../node/pg-changes.ts';
import { stopOnSignals } from '../node/shutdown.ts';
import { mailTransportFromEnv } from '../node/smtp-transport.ts';
import { announce, migrateWhenReachable } from '../node/startup.ts';
import { diskAssets } from '../node/static-files.ts';
import { registerStaticRoutes } from '../routes/static.ts';
import { kyselyStore } from '../store/kysely-store.ts';
import { logUnlessOutage } from '../store/unavailable.ts';

useSyncHashing(nodeHashing);
const env = process.env;
const databaseUrl = env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const db = openDatabase(databaseUrl, undefined, { backgroundCheckpoints: true });
const store = kyselyStore(db);
await migrateWhenReachable(store);
// Several instances may share PostgreSQL: they tell each other of changes. A SQLite file has one server.
const changes = databaseUrl.startsWith('file:') ? undefined : await pgChanges(databaseUrl, db);
const config = configFromEnv(env);
const live = createLiveHub({ maxStreams: config.liveMaxStreams });

const proxyTrust = parseProxyTrust(env.PARLEY_TRUST_PROXY);
const mailTransport = mailTransportFromEnv(env);
const background = createBackground(logUnlessOutage((error) => console.error('[parley]', error)));
const app = createApp({
  store,
  config,
  changes,
  live,
  compressor: zlibCompressor,
  background,
  mailTransport,
  clientAddress: (c) =>
    clientAddressBehind(proxyTrust, getConnInfo(c).remote.address, c.req.header('X-Forwarded-For')),
});
registerStaticRoutes(app, diskAssets(env.PARLEY_DIST ?? 'dist'));

const hostname = env.HOST ?? '127.0.0.1';
const server = await listen(app.fetch, { port: Number(env.PORT ?? 8787), hostname });
const stopBackground = runEvery(
  background,
  Number(env.PARLEY_BACKGROUND_INTERVAL_MS) || BACKGROUND_INTERVAL_MS,
);
// Live streams never finish by themselves: they end first, so that the requests in flight can drain.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => live.close());
stopOnSignals(server, async () => {
  stopBackground();
  await changes?.close();
  await store.close();
});
const database = databaseUrl.startsWith('file:') ? 'SQLite' : 'PostgreSQL';
await announce(store, config, { server, hostname, database, mail: Boolean(mailTransport) });
