import type { BackgroundTask } from '../background.ts';
import type { Clock } from '../config.ts';
import { randomToken } from '../crypto.ts';
import { newId } from '../ids.ts';
import type { OutboxRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { Mailer, MailMessage } from './mailer.ts';
import type { MailSettings, MailTransport } from './transport.ts';

/** Tries per message before it is given up (and logged): with the default 30 s first delay, about 21 hours. */
export const MAX_ATTEMPTS = 8;
const MAX_DELAY_MS = 6 * 3_600_000;
/** How long a sender holds the messages it claimed; a sender that dies frees them when this runs out. */
const LEASE_MS = 2 * 60_000;
const BATCH = 20;
/** Sent messages and used link nonces are kept this long; links live 7 days, so a used one stays refused. */
const KEEP_SENT_MS = 8 * 86_400_000;

/** When the next try is due after `attempts` failed ones: 30 s, 2 min, 8 min, 32 min, 2 h 8 min, then 6 h. */
export function retryDelay(attempts: number, firstMs: number): number {
  return Math.min(firstMs * 4 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
}

type Parts = Omit<MailMessage, 'to'>;

/**
 * The outbox: `mailer.enqueue` writes a message to the database and returns; `task` sends what is due, claimed
 * under a lease so that two instances never send one message twice, retried with backoff after a failure, given
 * up (and logged) after MAX_ATTEMPTS. Messages survive restarts: they are rows until sent.
 *
 * @example
 * const outbox = createOutbox({ store, clock, transport, settings, logError });
 * background.add(outbox.task);
 * await outbox.mailer.enqueue({ to, subject, text, html });
 */
export function createOutbox(deps: {
  store: Store;
  clock: Clock;
  transport: MailTransport;
  settings: MailSettings;
  logError: (error: unknown) => void;
}) {
  const { store, clock, transport, settings, logError } = deps;
  let prunedAt = 0;

  const queue = async (message: MailMessage, id = newId(clock.now())) => {
    const { to, ...parts } = message;
    await store.enqueueMail(
      { id, recipient: to, message: JSON.stringify(parts satisfies Parts) },
      clock.now(),
    );
  };

  async function deliver(row: OutboxRow, claimId: string) {
    const parts = JSON.parse(row.message) as Parts;
    try {
      await transport.send({ ...parts, to: row.recipient, from: settings.from });
      await store.markMailSent(row.id, claimId, clock.now());
    } catch (error) {
      const attempts = row.attempts + 1;
      const now = clock.now();
      const giveUp = attempts >= MAX_ATTEMPTS;
      await store.markMailFailed(row.id, claimId, {
        error: String(error),
        retryAt: giveUp ? null : now + retryDelay(attempts, settings.retryMs),
        now,
      });
      if (giveUp) logError(new Error(`mail ${row.id} given up after ${attempts} attempts: ${String(error)}`));
    }
  }

  const mailer: Mailer & { enqueueWithId(message: MailMessage, id: string): Promise<void> } = {
    enqueue: (message) => queue(message),
    /** Queues a message under a chosen id: queueing it again adds nothing (a retried batch). */
    enqueueWithId: (message, id) => queue(message, id),
  };

  const task: BackgroundTask = {
    name: 'mail outbox',
    async run() {
      for (;;) {
        const claimId = `${newId(clock.now())}${randomToken().slice(0, 12)}`;
        const rows = await store.claimMail({ claimId, now: clock.now(), leaseMs: LEASE_MS, limit: BATCH });
        for (const row of rows) await deliver(row, claimId);
        if (rows.length < BATCH) break;
      }
      const now = clock.now();
      if (now - prunedAt > 3_600_000) {
        prunedAt = now;
        await store.pruneMail(now - KEEP_SENT_MS);
      }
    },
  };

  return { mailer, task };
}

export type Outbox = ReturnType<typeof createOutbox>;
