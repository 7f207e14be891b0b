import type { Context } from 'hono';
import type { AppContext } from '../app-context.ts';
import { emailHashOf } from '../comment-row.ts';
import type { RateRule } from '../config.ts';
import { randomToken, sha256 } from '../crypto.ts';
import { ApiError } from '../errors.ts';
import { sendNow } from '../mail/send-now.ts';
import { html } from './pages.ts';

/** How long a mailed privacy link works. */
export const LINK_TTL_MS = 60 * 60_000;
const HOUR = 60 * 60_000;
/** Links asked for per client address, and mailed per email address, per hour. */
const PER_CLIENT: RateRule = { max: 5, windowMs: HOUR };
const PER_EMAIL: RateRule = { max: 3, windowMs: HOUR };

export const mailOff = () =>
  new ApiError(
    503,
    'mail_off',
    'This server sends no mail, so it cannot prove an email; ask the site’s owner',
  );

/**
 * Mails a privacy link to `email`, whether or not anything is stored under it, so the answer tells the asker
 * nothing. Counted per client and per email before anything else (429 when over); 503 `mail_off` without mail.
 */
export async function mailPrivacyLink(ctx: AppContext, c: Context, rawEmail: string): Promise<void> {
  const { mailer } = ctx;
  if (!mailer) throw mailOff();
  const email = rawEmail.trim().toLowerCase();
  await ctx.limits.hit('privacy', await ctx.clientHash(c), PER_CLIENT);
  await ctx.limits.hit('privacy-email', await emailHashOf(await ctx.secret(), email), PER_EMAIL);
  const now = ctx.clock.now();
  const token = randomToken();
  await ctx.store.insertPrivacyToken({ id: await sha256(token), email, expires_at: now + LINK_TTL_MS }, now);
  const origin = ctx.publicOrigin(c);
  const link = `${origin}/privacy?token=${token}`;
  const host = new URL(origin).host;
  await mailer.enqueue({
    to: email,
    subject: `Your comments at ${host}`,
    text:
      `Someone, probably you, asked to see or erase the comments stored under ${email} at ${host}.\n\n` +
      `Open this link within an hour:\n${link}\n\nIf it was not you, ignore this email: nothing changes.\n`,
    html:
      `<p>Someone, probably you, asked to see or erase the comments stored under ${html(email)} at ` +
      `${html(host)}.</p><p><a href="${html(link)}">See or erase your data</a> (the link works for an ` +
      'hour).</p><p>If it was not you, ignore this email: nothing changes.</p>',
  });
  sendNow(ctx, c);
}

/** The email a privacy link's token proves, while the link works. */
export async function emailOfToken(ctx: AppContext, token: string): Promise<string | undefined> {
  if (!/^[\w-]{20,100}$/.test(token)) return undefined;
  return ctx.store.findPrivacyToken(await sha256(token), ctx.clock.now());
}
