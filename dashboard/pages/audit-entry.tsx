import type { AuditEntry } from '../../shared/admin-schemas.ts';
import { Link } from '../router.tsx';

/** What each action did, in words; actions the dashboard does not know read as their name with the dot gone. */
const ACTION_WORDS: Record<string, string> = {
  'comment.approve': 'approved',
  'comment.spam': 'marked as spam',
  'comment.delete': 'deleted',
  'comment.restore': 'restored',
  'comment.pin': 'pinned',
  'comment.unpin': 'unpinned',
  'comment.edit': 'edited',
  'comment.reply': 'replied',
  'thread.lock': 'locked the page',
  'thread.unlock': 'opened the page again',
  'thread.retitle': 'renamed the page',
  'ban.create': 'banned',
  'ban.update': 'changed the ban on',
  'ban.delete': 'lifted the ban on',
  'site.create': 'created the site',
  'site.update': 'changed the settings',
  'member.invite': 'invited',
  'member.join': 'joined',
  'member.remove': 'removed',
  'invite.revoke': 'revoked the invitation of',
};

const actionWords = (action: string) => ACTION_WORDS[action] ?? action.replace(/[._]/g, ' ');

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** A field of an entry's before or after, when it is a string. */
function field(entry: AuditEntry, key: string): string | undefined {
  for (const side of [entry.after, entry.before]) {
    const value = side && typeof side === 'object' ? (side as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

const comments = (count: number) => (count === 1 ? '1 comment' : `${count} comments`);

/** Who or what the entry is about, in words: comments by their count, a banned person's name, an email. */
function subject(entry: AuditEntry): string {
  if (entry.action.startsWith('comment.')) {
    return entry.action === 'comment.reply' ? '' : comments(entry.targetIds.length);
  }
  if (entry.action.startsWith('ban.')) {
    const label = field(entry, 'label') ?? 'a commenter';
    return entry.targetIds.length > 1 ? `${label} (email and client)` : label;
  }
  if (entry.action.startsWith('member.') || entry.action === 'invite.revoke')
    return field(entry, 'email') ?? '';
  return '';
}

/** A page of the blog: its dashboard thread, by title or address. */
function PageLink({ page }: { page: { id: string; title: string | null; url: string } }) {
  return <Link to={`/threads/${encodeURIComponent(page.id)}`}>{page.title || page.url}</Link>;
}

/**
 * One entry of the audit log, as a sentence: "Morgan approved 3 comments on Default site", then the pages and the
 * start of each comment, then before and after for those who want them.
 */
export function AuditEntryRow({ entry, siteName }: { entry: AuditEntry; siteName: string | undefined }) {
  const who = entry.actor.name || entry.actor.email;
  const about = subject(entry);
  const shown = entry.comments.slice(0, 5);
  return (
    <li>
      <div>
        <strong title={entry.actor.email}>{who}</strong> {actionWords(entry.action)}
        {about && ` ${about}`}
        {entry.thread && (
          <>
            {' '}
            <PageLink page={entry.thread} />
            {entry.action === 'thread.retitle' &&
              field(entry, 'title') &&
              ` (was “${field(entry, 'title')}”)`}
          </>
        )}
        {entry.siteId && <span class="dim"> on {siteName ?? entry.siteId}</span>}
      </div>
      <time class="dim" dateTime={new Date(entry.createdAt).toISOString()}>
        {new Date(entry.createdAt).toLocaleString()}
      </time>
      {shown.length > 0 && (
        <ul class="audit-comments">
          {shown.map((comment) => (
            <li key={comment.id}>
              <span class="dim">{comment.author || 'Anonymous'}:</span> “{comment.excerpt || '(no text left)'}
              ”{' '}
              <span class="dim">
                on <PageLink page={comment.thread} />
              </span>
            </li>
          ))}
          {entry.comments.length > shown.length && (
            <li class="dim">and {comments(entry.comments.length - shown.length)} more</li>
          )}
        </ul>
      )}
      {(entry.before != null || entry.after != null) && (
        <details>
          <summary>Before and after</summary>
          <div class="diff">
            <figure>
              <figcaption class="dim">Before</figcaption>
              <pre class="code">{json(entry.before)}</pre>
            </figure>
            <figure>
              <figcaption class="dim">After</figcaption>
              <pre class="code">{json(entry.after)}</pre>
            </figure>
          </div>
        </details>
      )}
    </li>
  );
}
