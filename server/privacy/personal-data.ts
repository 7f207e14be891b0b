import type { Erased, PersonalData } from '../../shared/privacy-schemas.ts';
import type { AppContext } from '../app-context.ts';
import { takeOut } from '../comment-removal.ts';
import { emailHashOf } from '../comment-row.ts';

/**
 * Everything kept under an email (docs/privacy.md): its comments with their pages, bans by its hash, a dashboard
 * account of that email, its reply subscriptions, and mail to it in the outbox. `siteIds` limits comments, bans and
 * subscriptions to those sites (an owner's request, which leaves out the account and the outbox: neither belongs
 * to a site); undefined means every site (the person's own).
 */
export async function personalData(
  ctx: AppContext,
  rawEmail: string,
  siteIds?: readonly string[],
): Promise<PersonalData> {
  const email = rawEmail.toLowerCase();
  const emailHash = await emailHashOf(await ctx.secret(), email);
  const [comments, bans, account, mail, outbox] = await Promise.all([
    ctx.store.listCommentsByEmail(emailHash, siteIds),
    ctx.store.listBansByEmail(emailHash, siteIds),
    siteIds ? undefined : ctx.store.findUserByEmail(email),
    ctx.store.listMailByEmail(emailHash, siteIds),
    siteIds ? [] : ctx.store.listMailTo(email),
  ]);
  return {
    email,
    exportedAt: ctx.clock.now(),
    emailHash,
    comments: comments.map((row) => ({
      id: row.id,
      site: row.thread_site_id,
      page: { url: row.thread_url, title: row.thread_title },
      parentId: row.parent_id,
      status: row.status,
      name: row.author_name,
      email: row.author_email,
      body: row.body,
      html: row.html,
      createdAt: row.created_at,
      editedAt: row.edited_at,
      avatar: row.avatar,
      clientHash: row.client_hash,
      verified: row.verified === 1,
    })),
    bans: bans.map((ban) => ({
      site: ban.site_id,
      label: ban.label,
      reason: ban.reason,
      createdAt: ban.created_at,
      expiresAt: ban.expires_at,
    })),
    account: account ? { name: account.name, createdAt: account.created_at } : null,
    subscriptions: mail.subscriptions.map((row) => ({
      id: row.id,
      site: row.site_id,
      email: row.email,
      browserHash: row.browser_hash,
      lang: row.lang,
      origin: row.origin,
      createdAt: row.created_at,
      confirmSentAt: row.confirm_sent_at,
      confirmedAt: row.confirmed_at,
      unsubscribedAt: row.unsubscribed_at,
      watching: mail.watches.filter((w) => w.subscription_id === row.id).map((w) => w.comment_id),
      waitingReplies: mail.notices
        .filter((n) => n.subscription_id === row.id)
        .map((n) => ({ commentId: n.comment_id, notedAt: n.created_at })),
    })),
    mail: outbox.map((row) => ({
      id: row.id,
      queuedAt: row.created_at,
      sentAt: row.sent_at,
      failedAt: row.failed_at,
      attempts: row.attempts,
      message: parsed(row.message),
    })),
  };
}

/** An outbox message's stored JSON, or the text itself should it not parse. */
function parsed(message: string): unknown {
  try {
    return JSON.parse(message);
  } catch {
    return message;
  }
}

/**
 * Erases an email's comments on these sites (undefined: every site), as their author's own delete would, and
 * keeps nothing of theirs in the webhook log or the audit log's quoted text; removes its reply subscriptions there
 * (no more reply mail, no more verified mark) and, on every site, the mail to it in the outbox, sent or not.
 * Deepest first, so a comment whose only replies were the same person's goes entirely. Bans stay (docs/privacy.md
 * says why).
 */
export async function eraseEmail(
  ctx: AppContext,
  rawEmail: string,
  siteIds?: readonly string[],
): Promise<Erased> {
  const { store } = ctx;
  const email = rawEmail.toLowerCase();
  const emailHash = await emailHashOf(await ctx.secret(), email);
  // Mail first: a reply arriving while the comments go finds no subscription to note it for.
  const subscriptions = await store.eraseMailByEmail(emailHash, siteIds);
  const mails = siteIds ? 0 : await store.dropMailTo(email);
  const rows = await store.listCommentsByEmail(emailHash, siteIds);
  const erased: Erased = { removed: 0, placeholders: 0, subscriptions, mails };
  for (const row of [...rows].sort((a, b) => b.depth - a.depth)) {
    // Read again: an earlier removal in this loop may have removed it as an empty placeholder.
    const current = await store.getComment(row.id);
    if (!current) continue;
    const outcome = await takeOut(store, current, { forget: true, statusReason: 'erased' });
    erased[outcome === 'placeholder' ? 'placeholders' : 'removed']++;
  }
  const ids = rows.map((row) => row.id);
  await store.deleteDeliveriesOf(ids);
  await store.forgetAuditOf(ids);
  return erased;
}
