import { createRoute, z } from '@hono/zod-openapi';
import { type AuditEntry, AuditPageSchema } from '../../../shared/admin-schemas.ts';
import { text } from '../../../shared/text.ts';
import type { AppContext } from '../../app-context.ts';
import { authorize } from '../../auth/access.ts';
import { ApiError } from '../../errors.ts';
import type { AuditRecord, ModComment } from '../../store/moderation-store.ts';
import type { ThreadRow } from '../../store/schema.ts';
import { ADMIN_ERRORS, json } from '../responses.ts';
import { type AdminApp, requireSession, signedIn } from './admin-env.ts';

const PAGE = 50;
/** Rows read per round trip while filling a page. */
const READ = 200;
const EXCERPT_CHARS = 120;

const AuditQuerySchema = z.object({
  site: text().max(40).optional(),
  cursor: text()
    .regex(/^[0-9a-z]{16}$/, 'Not a cursor from this API')
    .optional(),
});

const auditRoute = createRoute({
  method: 'get',
  path: '/audit',
  summary: 'The audit log, newest first: a site’s (its owners) or everything (server owners)',
  description:
    'Each entry names its actor, and the comments (author, start of the text, page) or page it is about. The ' +
    'changes one bulk action made to many comments come as one entry listing them all.',
  middleware: [requireSession],
  request: { query: AuditQuerySchema },
  responses: { 200: json(AuditPageSchema, 'One page of entries'), ...ADMIN_ERRORS },
});

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** Rows of one bulk action (same batch, same action), or a single row; in the order given. */
function groupRows(rows: readonly AuditRecord[]): AuditRecord[][] {
  const groups: AuditRecord[][] = [];
  for (const row of rows) {
    const last = groups.at(-1)?.[0];
    if (last && row.batch_id !== null && last.batch_id === row.batch_id && last.action === row.action) {
      groups.at(-1)?.push(row);
    } else {
      groups.push([row]);
    }
  }
  return groups;
}

/** The start of a comment's markdown on one line, for a log entry. */
function excerpt(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS - 1)}…` : line;
}

const pageRef = (thread: Pick<ThreadRow, 'id' | 'title' | 'url'>) => ({
  id: thread.id,
  title: thread.title,
  url: thread.url,
});

function toEntry(
  group: AuditRecord[],
  comments: Map<string, ModComment>,
  threads: Map<string, ThreadRow>,
): AuditEntry {
  // Rows come newest first; a bulk action lists its targets in the order it acted on them.
  const inOrder = [...group].reverse();
  const [row] = inOrder as [AuditRecord, ...AuditRecord[]];
  const targetIds = inOrder.flatMap((each) => (each.target_id === null ? [] : [each.target_id]));
  const thread = row.action.startsWith('thread.') && row.target_id ? threads.get(row.target_id) : undefined;
  return {
    id: row.id,
    siteId: row.site_id,
    actor: { id: row.actor_id, email: row.actor_email, name: row.actor_name ?? '' },
    action: row.action,
    targetId: row.target_id,
    targetIds,
    before: parse(row.before_json),
    after: parse(row.after_json),
    comments: targetIds.flatMap((id) => {
      const comment = comments.get(id);
      if (!comment) return [];
      return [
        {
          id,
          author: comment.author_name,
          excerpt: excerpt(comment.body),
          status: comment.status,
          thread: { id: comment.thread_id, title: comment.thread_title, url: comment.thread_url },
        },
      ];
    }),
    thread: thread ? pageRef(thread) : null,
    createdAt: row.created_at,
  };
}

export function registerAuditRoutes(admin: AdminApp, ctx: AppContext) {
  const { store } = ctx;

  admin.openapi(auditRoute, async (c) => {
    const { user } = signedIn(c);
    const { site, cursor } = c.req.valid('query');
    let siteIds: string[] | undefined;
    if (site) {
      await authorize(store, user, site, 'manage');
      siteIds = [site];
    } else if (!user.is_admin) {
      siteIds = (await store.listMemberships(user.id))
        .filter((m) => m.role === 'owner')
        .map((m) => m.site_id);
      if (siteIds.length === 0) {
        throw new ApiError(403, 'forbidden', 'Only site owners and server owners can read the audit log');
      }
    }
    // A page holds PAGE entries, and a bulk action is one entry however many rows it wrote: rows are read until
    // one more entry starts (so the last is whole) or the log ends.
    const rows: AuditRecord[] = [];
    let before = cursor;
    let more = true;
    let groups: AuditRecord[][] = [];
    while (more && groups.length <= PAGE) {
      const next = await store.listAudit({ siteIds, before, limit: READ });
      rows.push(...next.slice(0, READ));
      more = next.length > READ;
      before = rows.at(-1)?.id;
      groups = groupRows(rows);
    }
    more ||= groups.length > PAGE;
    groups = groups.slice(0, PAGE);
    const page = groups.flat();
    const targetsOf = (kind: string) =>
      page.flatMap((row) => (row.action.startsWith(kind) && row.target_id !== null ? [row.target_id] : []));
    const [comments, threads] = await Promise.all([
      store.getModComments(targetsOf('comment.')),
      store.getThreads(targetsOf('thread.')),
    ]);
    const commentsById = new Map(comments.map((row) => [row.id, row]));
    const threadsById = new Map(threads.map((row) => [row.id, row]));
    return c.json(
      {
        entries: groups.map((group) => toEntry(group, commentsById, threadsById)),
        nextCursor: more ? (page.at(-1)?.id ?? null) : null,
      },
      200,
    );
  });
}
