import type { Context } from 'hono';
import type { AppContext } from '../app-context.ts';
import { keyedHash } from '../crypto.ts';
import { newId } from '../ids.ts';
import type { CommentRow, ThreadRow } from '../store/schema.ts';
import { linkToken } from './links.ts';
import { confirmMail } from './messages.ts';
import { LINK_TTL_MS, mailPageUrl } from './notifications.ts';
import { sendNow } from './send-now.ts';

/** One confirmation mail per address and site in this time, however many browsers or posts ask. */
const CONFIRM_EVERY_MS = 3_600_000;

/** The keyed hash the server keeps of a widget's per-browser key; '' without one. */
export async function browserHashOf(secret: string, browserKey: string | undefined): Promise<string> {
  return browserKey ? (await keyedHash(secret, `browser:${browserKey}`)).slice(0, 32) : '';
}

/** Whether a comment from this address and browser earns the "verified" mark on the site. */
export async function isVerified(
  ctx: AppContext,
  siteId: string,
  emailHash: string | null,
  browserKey: string | undefined,
): Promise<boolean> {
  if (!emailHash || !browserKey) return false;
  return ctx.store.isVerifiedBrowser(siteId, emailHash, await browserHashOf(await ctx.secret(), browserKey));
}

/**
 * "Email me replies" on a posted comment: the comment is watched for this reader's subscription (one per address,
 * browser and site), and an address not yet confirmed from this browser gets the double opt-in mail. Only database
 * writes here; the mail itself goes out in the background. Nothing happens when mail is off.
 */
export async function subscribeReader(
  ctx: AppContext,
  c: Context,
  input: { comment: CommentRow; thread: ThreadRow; siteName: string; browserKey?: string; lang?: string },
): Promise<void> {
  const { store, clock, mailer } = ctx;
  const { comment, thread } = input;
  if (!mailer || !comment.author_email || !comment.email_hash || !comment.site_id) return;
  const now = clock.now();
  const secret = await ctx.secret();
  const origin = ctx.publicOrigin(c);
  const subscription = await store.ensureSubscription({
    id: newId(now),
    site_id: comment.site_id,
    email: comment.author_email,
    email_hash: comment.email_hash,
    browser_hash: await browserHashOf(secret, input.browserKey),
    lang: input.lang ?? 'en',
    origin,
    created_at: now,
    confirm_sent_at: null,
    confirmed_at: null,
    unsubscribed_at: null,
  });
  await store.watchComment(comment.id, subscription.id);
  if (subscription.confirmed_at !== null && subscription.unsubscribed_at === null) return;
  if (!(await store.claimConfirmation(subscription.id, now, now - CONFIRM_EVERY_MS))) return;
  const token = await linkToken(secret, {
    kind: 'confirm',
    subscriptionId: subscription.id,
    expires: now + LINK_TTL_MS,
  });
  await mailer.enqueue(
    confirmMail({
      to: subscription.email,
      lang: subscription.lang,
      site: input.siteName,
      page: { url: thread.url, title: thread.title },
      confirmUrl: mailPageUrl(origin, 'confirm', token),
    }),
  );
  sendNow(ctx, c);
}
