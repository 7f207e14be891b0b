import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { type ChangeListener, createFanOut, type ThreadChange, type ThreadChanges } from '../live/changes.ts';
import type { Database } from '../store/schema.ts';
import { logUnlessOutage } from '../store/unavailable.ts';

/** How long a version read may be reused while the channel is down: the staleness readers may see then. */
const FALLBACK_TTL_MS = 500;
/** The listening connection is asked this often whether it still answers; a silent network drops nothing else. */
const PING_MS = 1000;
/** Past this since its last answer, the channel is taken as down. */
const SILENCE_MS = 2500;
const BACKOFF_MS = [100, 250, 500, 1000, 2000];

/** Channel names are identifiers of at most 63 bytes; one per schema, so deployments sharing a database stay apart. */
function channelOf(schema: string): string {
  const name = `parley_changes_${schema}`;
  if (Buffer.byteLength(name) <= 63) return name;
  let hash = 0;
  for (const char of schema) hash = (Math.imul(hash, 31) + (char.codePointAt(0) ?? 0)) | 0;
  return `parley_changes_${(hash >>> 0).toString(36)}`;
}

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A notification's payload stays under PostgreSQL's 8,000 bytes: past this, a turn's changes take several. */
const PAYLOAD_BYTES = 7000;

type ToldChange = ThreadChange & { origin: string };

function isChange(value: Partial<ToldChange>): value is ToldChange {
  return (
    typeof value.site === 'string' &&
    typeof value.key === 'string' &&
    typeof value.thread === 'string' &&
    typeof value.version === 'number' &&
    typeof value.type === 'string' &&
    typeof value.origin === 'string'
  );
}

/** The changes one notification tells: one object, or an array of the changes published in one turn. */
function parseChanges(payload: string | undefined): ToldChange[] {
  try {
    const value = JSON.parse(payload ?? '') as Partial<ToldChange> | Array<Partial<ToldChange>>;
    const values = Array.isArray(value) ? value : [value];
    return values.filter(
      (each): each is ToldChange => each !== null && typeof each === 'object' && isChange(each),
    );
  } catch {
    return [];
  }
}

/** Payloads joined into as few JSON arrays as fit a notification each (a lone change stays an object). */
function packPayloads(payloads: readonly string[]): string[] {
  const groups: string[][] = [];
  let bytes = Number.POSITIVE_INFINITY;
  for (const payload of payloads) {
    const size = Buffer.byteLength(payload) + 1;
    if (bytes + size > PAYLOAD_BYTES) {
      groups.push([]);
      bytes = 2;
    }
    groups.at(-1)?.push(payload);
    bytes += size;
  }
  return groups.map((group) => (group.length === 1 ? (group[0] as string) : `[${group.join(',')}]`));
}

/**
 * Instances on one PostgreSQL database telling each other of changes with LISTEN/NOTIFY. Each holds one connection
 * of its own that listens (outside the pool, which could not keep it), asks it every second whether it still
 * answers, and reconnects with backoff when it breaks; versions are trusted only while it is up, and a break tells
 * followers that changes may have been missed. Notifications go out through the pool after each turn of writes,
 * the changes of one turn in one statement.
 *
 * @example
 * const changes = await pgChanges(url, db);
 * const app = createApp({ store: kyselyStore(db), changes });
 */
export async function pgChanges(
  url: string,
  db: Kysely<Database>,
  logError: (error: unknown) => void = (error) => console.error('[parley]', error),
): Promise<ThreadChanges> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const channel = channelOf(rows[0]?.schema ?? 'public');
  const origin = randomUUID();
  // A change told while the database is away fails with it: the outage log has said so once.
  const quiet = logUnlessOutage(logError);
  const fanOut = createFanOut(quiet);
  const gapListeners = new Set<() => void>();

  let client: pg.Client | undefined;
  let since: number | undefined;
  let lastAnswer = 0;
  let attempt = 0;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  const lost = (current: pg.Client) => {
    if (client !== current) return;
    client = undefined;
    since = undefined;
    current.removeAllListeners('notification');
    current.on('error', () => {});
    void current.end().catch(() => {});
    if (closed) return;
    const delay = BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)];
    reconnectTimer = setTimeout(connect, delay);
  };

  async function connect() {
    const next = new pg.Client({
      connectionString: url,
      keepAlive: true,
      connectionTimeoutMillis: 2000,
      application_name: 'parley changes',
    });
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    next.on('notification', (message) => {
      for (const change of parseChanges(message.payload)) {
        if (change.origin === origin) continue;
        const { origin: _, ...rest } = change;
        void fanOut.tell(rest);
      }
    });
    client = next;
    try {
      await next.connect();
      await next.query(`listen ${quoteIdentifier(channel)}`);
    } catch {
      lost(next);
      return;
    }
    if (client !== next) return;
    const reconnected = attempt > 0 || since !== undefined;
    attempt = 0;
    lastAnswer = Date.now();
    since = lastAnswer;
    // Whatever was told while nobody listened is lost: followers start over.
    if (reconnected) for (const listener of gapListeners) listener();
  }

  const ping = setInterval(() => {
    const current = client;
    if (!current || since === undefined) return;
    const timeout = setTimeout(() => lost(current), SILENCE_MS);
    current.query('select 1').then(
      () => {
        clearTimeout(timeout);
        lastAnswer = Date.now();
      },
      () => {
        clearTimeout(timeout);
        lost(current);
      },
    );
  }, PING_MS);
  ping.unref();

  await connect();
  if (since === undefined) logError(new Error('could not listen for changes yet; retrying'));

  // The changes published during one turn of the event loop (concurrent posts) go out in one round trip.
  let waiting: string[] = [];
  let told: Promise<void> | undefined;
  const tellOthers = (payload: string): Promise<void> => {
    waiting.push(payload);
    told ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      const payloads = packPayloads(waiting);
      waiting = [];
      told = undefined;
      const notify = payloads.map((each) => sql`pg_notify(${channel}, ${each})`);
      await sql`select ${sql.join(notify)}`.execute(db).catch(quiet);
    });
    return told;
  };

  return {
    async publish(change, row) {
      await Promise.all([fanOut.tell(change, row), tellOthers(JSON.stringify({ ...change, origin }))]);
    },
    subscribe: (listener: ChangeListener) => fanOut.add(listener),
    trustedSince: () => (since !== undefined && Date.now() - lastAnswer < SILENCE_MS ? since : undefined),
    fallbackTtlMs: FALLBACK_TTL_MS,
    onGap(listener) {
      gapListeners.add(listener);
      return () => {
        gapListeners.delete(listener);
      };
    },
    async close() {
      closed = true;
      clearInterval(ping);
      clearTimeout(reconnectTimer);
      const current = client;
      client = undefined;
      since = undefined;
      await current?.end().catch(() => {});
    },
  };
}
