import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import { StoreUnavailableError } from '../store/unavailable.ts';

const MIGRATE_RETRY_MS = 1000;

/**
 * Applies the schema, waiting for a database that does not answer yet (it may be starting alongside us) instead
 * of exiting; the outage log says once that it is unreachable and once that it is back.
 */
export async function migrateWhenReachable(store: Store): Promise<void> {
  let said = false;
  while (true) {
    try {
      return await store.migrate();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      if (!said) console.error('[parley] waiting for the database before listening');
      said = true;
      await sleep(MIGRATE_RETRY_MS);
    }
  }
}

/** Tells whoever ran `npm start` where to look, and how to get into the dashboard on a fresh server. */
export async function announce(
  store: Store,
  config: Config,
  { server, hostname, database, mail }: { server: Server; hostname: string; database: string; mail: boolean },
): Promise<void> {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : address;
  const host = hostname === '127.0.0.1' ? 'localhost' : hostname.includes(':') ? `[${hostname}]` : hostname;
  const origin = `http://${host}:${port}`;
  console.log(`[parley] listening on ${origin} on ${database}`);
  console.log(`[parley] demo page ${origin}/ · dashboard ${origin}/admin`);
  console.log(
    config.mail && mail
      ? `[parley] mail from ${config.mail.from}`
      : '[parley] mail is off; set PARLEY_SMTP_URL and PARLEY_MAIL_FROM to turn it on',
  );
  const owners = await store.listAdmins().catch(() => undefined);
  if (!owners) return;
  if (owners.length > 0) {
    console.log(`[parley] ${owners.length === 1 ? 'one server owner' : `${owners.length} server owners`}`);
  } else if (config.bootstrapAdmin) {
    console.log(
      '[parley] no server owner yet; PARLEY_ADMIN_EMAIL becomes one at the first dashboard request',
    );
  } else {
    console.log(
      '[parley] no server owner yet; create one with: npm run parley -- admin create --email you@example.com',
    );
  }
}
