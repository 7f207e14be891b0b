import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from '../app.ts';
import { clientAddressBehind, parseProxyTrust } from '../client-address.ts';
import { configFromEnv } from '../config.ts';
import { useSyncHashing } from '../crypto.ts';
import { zlibCompressor } from '../node/compression.ts';
import { DEFAULT_DATABASE_URL, openDatabase } from '../node/database.ts';
import { nodeHashing } from '../node/hashing.ts';
import { listen } from '../node/http-server.ts';
import { stopOnSignals } from '../node/shutdown.ts';
import { announce, migrateWhenReachable } from '../node/startup.ts';
import { diskAssets } from '../node/static-files.ts';
import { registerStaticRoutes } from '../routes/static.ts';
import { kyselyStore } from '../store/kysely-store.ts';

useSyncHashing(nodeHashing);
const env = process.env;
const databaseUrl = env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const store = kyselyStore(openDatabase(databaseUrl));
await migrateWhenReachable(store);

const proxyTrust = parseProxyTrust(env.PARLEY_TRUST_PROXY);
const app = createApp({
  store,
  config: configFromEnv(env),
  compressor: zlibCompressor,
  clientAddress: (c) =>
    clientAddressBehind(proxyTrust, getConnInfo(c).remote.address, c.req.header('X-Forwarded-For')),
});
registerStaticRoutes(app, diskAssets(env.PARLEY_DIST ?? 'dist'));

const hostname = env.HOST ?? '127.0.0.1';
const server = await listen(app.fetch, { port: Number(env.PORT ?? 8787), hostname });
stopOnSignals(server, () => store.close());
const database = databaseUrl.startsWith('file:') ? 'SQLite' : 'PostgreSQL';
await announce(store, configFromEnv(env), { server, hostname, database });
