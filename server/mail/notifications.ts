import type { AppContext } from '../app-context.ts';
import type { BackgroundTask } from '../background.ts';
import { randomToken } from '../crypto.ts';
import type { CommentEvent } from '../events.ts';
import { newId } from '../ids.ts';
import type { CommentRow, MailLevel } from '../store/schema.ts';
import { linkToken, type MailAction } from './links.ts';
import { type MailReply, moderationMail, replyMail } from './messages.ts';
import type { Outbox } from './outbox.ts';
import type { MailSettings } from './transport.ts';

/** How long one-click moderation links and confirmation links work. */
export const LINK_TTL_MS = 7 * 86_400_000;
/** A batch of replies taken but not queued this long ago was left by a sender that stopped: taken again. */
const STALE_MS = 10 * 60_000;

/** A member's choice when they made none: owners hear of held comments, moderators of nothing. */
export const defaultLevel = (role: 'owner' | 'moderator' | 'admin'): MailLevel =>
  role === 'moderator' ? 'off' : 'held';

/** The URL of a mail page (server/routes/mail-pages.ts) carrying a link token. */
export const mailPageUrl = (origin: string, page: 'moderate' | 'confirm' | 'unsubscribe', token: string) =>
  `${origin}/mail/${page}?t=${token}`;

/**
 * What mail follows in the comment events: a mail to each member who asked for it about a held (or any) comment,
 * and a note of each visible reply to a watched comment, which the reply task batches into one mail per reader.
 * After queueing, the listener runs the background tasks, which Workers keep alive through `waitUntil`.
 */
export function mailNotifications(ctx: AppContext, outbox: Outbox, settings: MailSettings) {
  const { store, clock } = ctx;
  // Owner mails are caused by a request, whose origin their links use unless PARLEY_PUBLIC_URL says otherwise.
  let lastOrigin = 'http://localhost';
  const originOf = () => ctx.config.publicUrl?.replace(/\/+$/, '') ?? lastOrigin;

  async function recipients(siteId: string) {
    const [members, admins, choices] = await Promise.all([
      store.listMembers(siteId),
      store.listAdmins(),
      store.listMailPreferences(siteId),
    ]);
    const people = new Map<string, { email: string; level: MailLevel }>();
    for (const admin of admins) {
      people.set(admin.id, { email: admin.email, level: choices.get(admin.id) ?? defaultLevel('admin') });
    }
    for (const member of members) {
      if (people.has(member.user_id)) continue;
      people.set(member.user_id, {
        email: member.email,
        level: choices.get(member.user_id) ?? defaultLevel(member.role),
      });
    }
    return people;
  }

  async function mailModerators(comment: CommentRow) {
    // Written from the dashboard by a member: they know.
    if (comment.author_user_id || !comment.site_id) return;
    const held = comment.status === 'pending';
    const [site, thread, people] = await Promise.all([
      store.getSite(comment.site_id),
      store.getThread(comment.thread_id),
      recipients(comment.site_id),
    ]);
    if (!site || !thread) return;
    const secret = await ctx.secret();
    const origin = originOf();
    const expires = clock.now() + LINK_TTL_MS;
    const actions: MailAction[] = held ? ['approve', 'spam', 'delete'] : ['spam', 'delete'];
    for (const [userId, person] of people) {
      if (person.level === 'off' || (person.level === 'held' && !held)) continue;
      // One nonce per mail: its links work once between them.
      const nonce = randomToken()
        .replace(/[^0-9a-zA-Z]/g, '')
        .toLowerCase()
        .slice(0, 20);
      const links = await Promise.all(
        actions.map(async (action) => ({
          label: action,
          url: mailPageUrl(
            origin,
            'moderate',
            await linkToken(secret, {
              kind: 'moderate',
              action,
              commentId: comment.id,
              userId,
              nonce,
              expires,
            }),
          ),
        })),
      );
      await outbox.mailer.enqueue(
        moderationMail({
          to: person.email,
          site: site.name,
          page: { url: thread.url, title: thread.title },
          comment: { author: comment.author_name, body: comment.body },
          held,
          actions: links,
          dashboardUrl: `${origin}/admin/`,
        }),
      );
    }
  }

  async function follow({ type, comment, previous }: CommentEvent) {
    const visible = comment.status === 'approved';
    let queued = false;
    // New, or shown until its author's edit was held: either way it now waits in the queue.
    const heldByEdit = type === 'edited' && comment.status === 'pending' && previous?.status === 'approved';
    if ((type === 'created' && (visible || comment.status === 'pending')) || heldByEdit) {
      await mailModerators(comment);
      queued = true;
    }
    // A reply counts once it is visible: at once, or when a moderator approves it.
    const becameVisible =
      (type === 'created' && visible) || (type === 'approved' && previous?.status === 'pending');
    if (becameVisible && comment.parent_id) {
      await store.noteReply({
        id: comment.id,
        parentId: comment.parent_id,
        emailHash: comment.email_hash,
        now: clock.now(),
      });
      queued = true;
    }
    if (queued) await ctx.background.run();
  }

  /** Forms one mail per reader from the replies noted for them once the first is `batchMs` old. */
  const replies: BackgroundTask = {
    name: 'reply mail',
    async run() {
      const now = clock.now();
      const due = await store.dueReplySubscriptions(now - settings.batchMs, now - STALE_MS, 50);
      for (const subscriptionId of due) {
        const { digestId, replies: notes } = await store.takeReplies(
          subscriptionId,
          newId(now),
          now,
          now - STALE_MS,
        );
        if (notes.length === 0) continue;
        const subscription = await store.getSubscription(subscriptionId);
        const rows = (await store.getComments(notes.map((note) => note.commentId))).filter(
          (row) => row.status === 'approved',
        );
        if (subscription?.confirmed_at && !subscription.unsubscribed_at && rows.length > 0) {
          const threads = new Map(
            (await store.getThreads([...new Set(rows.map((row) => row.thread_id))])).map((t) => [t.id, t]),
          );
          const byId = new Map(rows.map((row) => [row.id, row]));
          const list: MailReply[] = notes.flatMap((note) => {
            const row = byId.get(note.commentId);
            const thread = row && threads.get(row.thread_id);
            return row && thread
              ? [{ author: row.author_name, body: row.body, page: { url: thread.url, title: thread.title } }]
              : [];
          });
          const origin = ctx.config.publicUrl?.replace(/\/+$/, '') ?? subscription.origin;
          const token = await linkToken(await ctx.secret(), { kind: 'unsubscribe', subscriptionId });
          const message = replyMail({
            to: subscription.email,
            lang: subscription.lang,
            replies: list,
            unsubscribeUrl: mailPageUrl(origin, 'unsubscribe', token),
          });
          await outbox.mailer.enqueueWithId(message, digestId);
        }
        await store.dropReplies(digestId);
      }
    },
  };

  return {
    follow,
    replies,
    /** Notes the origin of a request that may cause mail. */
    seen(origin: string) {
      lastOrigin = origin;
    },
  };
}
