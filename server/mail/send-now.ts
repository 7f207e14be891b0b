import type { Context } from 'hono';
import type { AppContext } from '../app-context.ts';

/**
 * Sends what a request just queued without waiting for the next timer or cron tick: a reader who asked for a mail
 * is waiting for it. On Workers the run is kept alive past the response through `waitUntil`.
 *
 * @example await mailer.enqueue(message); sendNow(ctx, c);
 */
export function sendNow(ctx: AppContext, c: Context): void {
  const sending = ctx.background.run();
  try {
    c.executionCtx.waitUntil(sending);
  } catch {
    // A long-lived process: the run ends on its own.
  }
}
