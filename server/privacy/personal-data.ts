import type { Erased, PersonalData } from '../../shared/privacy-schemas.ts';
import type { AppContext } from '../app-context.ts';
import { takeOut } from '../comment-removal.ts';
import { emailHashOf } from '../comment-row.ts';

/**
 * Everything kept under an email (docs/privacy.md): its comments with their pages, bans by its hash, and a
 * dashboard account of that email. `siteIds` limits comments and bans to those sites (an owner's request);
 * undefined means every site (the person's own).
 */
export async function personalData(
  ctx: AppContext,
  rawEmail: string,
  siteIds?: readonly string[],
): Promise<PersonalData> {
  const email = rawEmail.toLowerCase();
  const emailHash = await emailHashOf(await ctx.secret(), email);
  const [comments, bans, account] = await Promise.all([
    ctx.store.listCommentsByEmail(emailHash, siteIds),
    ctx.store.listBansByEmail(emailHash, siteIds),
    siteIds ? undefined : ctx.store.findUserByEmail(email),
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
    })),
    bans: bans.map((ban) => ({
      site: ban.site_id,
      label: ban.label,
      reason: ban.reason,
      createdAt: ban.created_at,
      expiresAt: ban.expires_at,
    })),
    account: account ? { name: account.name, createdAt: account.created_at } : null,
  };
}

/**
 * Erases an email's comments on these sites (undefined: every site), as their author's own delete would, and
 * keeps nothing of theirs in the webhook log or the audit log's quoted text. Deepest first, so a comment whose only
 * replies were the same person's goes entirely. Bans stay (docs/privacy.md says why).
 */
export async function eraseEmail(
  ctx: AppContext,
  rawEmail: string,
  siteIds?: readonly string[],
): Promise<Erased> {
  const { store } = ctx;
  const emailHash = await emailHashOf(await ctx.secret(), rawEmail.toLowerCase());
  const rows = await store.listCommentsByEmail(emailHash, siteIds);
  const erased: Erased = { removed: 0, placeholders: 0 };
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
