import { createRoute, type z } from '@hono/zod-openapi';
import {
  AdminCommentSchema,
  AdminCommentsPageSchema,
  AdminCommentsQuerySchema,
  type BulkAction,
  BulkActionSchema,
  type BulkResult,
  BulkResultSchema,
  ModeratorEditSchema,
  OwnerReplySchema,
} from '../../../shared/admin-schemas.ts';
import type { AppContext } from '../../app-context.ts';
import { authorize, moderatedSiteIds } from '../../auth/access.ts';
import { emailHashOf, newCommentRow } from '../../comment-row.ts';
import { ApiError } from '../../errors.ts';
import { ID_PATTERN, newId } from '../../ids.ts';
import { renderMarkdown } from '../../markdown.ts';
import { effectiveSettings } from '../../site-settings.ts';
import type { Keyset, ModComment } from '../../store/moderation-store.ts';
import type { CommentRow } from '../../store/schema.ts';
import type { CommentPatch } from '../../store/store.ts';
import { ADMIN_ERRORS, IdParams, json, jsonBody } from '../responses.ts';
import { type AdminApp, requireSession, signedIn } from './admin-env.ts';
import { adminViews, moderatedComment, recordAudit } from './scope.ts';

const listRoute = createRoute({
  method: 'get',
  path: '/comments',
  summary: 'The moderation queue: comments newest first, filtered, on the sites the caller moderates',
  middleware: [requireSession],
  request: { query: AdminCommentsQuerySchema },
  responses: { 200: json(AdminCommentsPageSchema, 'One page'), ...ADMIN_ERRORS },
});

const actionsRoute = createRoute({
  method: 'post',
  path: '/comments/actions',
  summary: 'Approve, mark as spam, delete, restore, pin or unpin up to 200 comments',
  description:
    'Each id succeeds or fails on its own; `failed` says why. Restore brings back a comment marked as spam or ' +
    'deleted by a moderator. 403 when none of the comments is on a site the caller moderates.',
  middleware: [requireSession],
  request: jsonBody(BulkActionSchema),
  responses: {
    200: json(BulkResultSchema, 'The comments as changed, and those that failed'),
    ...ADMIN_ERRORS,
  },
});

const editRoute = createRoute({
  method: 'patch',
  path: '/comments/{id}',
  summary: "Edit a comment's text; readers see it marked as edited by a moderator",
  middleware: [requireSession],
  request: { params: IdParams, ...jsonBody(ModeratorEditSchema) },
  responses: { 200: json(AdminCommentSchema, 'The edited comment'), ...ADMIN_ERRORS },
});

const replyRoute = createRoute({
  method: 'post',
  path: '/comments/{id}/replies',
  summary: 'Reply as the signed-in member, published at once with the site’s author badge',
  middleware: [requireSession],
  request: { params: IdParams, ...jsonBody(OwnerReplySchema) },
  responses: { 201: json(AdminCommentSchema, 'The reply'), ...ADMIN_ERRORS },
});

/** `<created_at>.<id>` of the last comment of a page: where the next one starts. */
const cursorOf = (row: ModComment) => `${row.created_at}.${row.id}`;

function parseCursor(cursor: string): Keyset {
  const match = /^(\d{1,16})\.([0-9a-z]{16})$/.exec(cursor);
  if (!match?.[1] || !match[2]) {
    throw new ApiError(400, 'invalid_input', 'The query is not valid', {
      cursor: 'Not a cursor from this API',
    });
  }
  return { createdAt: Number(match[1]), id: match[2] };
}

/** A comment whose author deleted it keeps nothing to bring back. */
const scrubbed = (row: CommentRow) =>
  row.status === 'deleted' && row.edit_token_hash === null && row.body === '';

type Outcome =
  | { patch: CommentPatch; before: object; after: object }
  | { unchanged: true }
  | { fail: string };

/**
 * What an action does to one comment: a patch with the fields it changes, nothing, or a reason it cannot. Also
 * what a one-click link from a moderation mail does (routes/mail-pages.ts).
 */
export function planModeration(action: BulkAction['action'], row: CommentRow): Outcome {
  const setStatus = (status: CommentRow['status'], reason: string | null): Outcome =>
    row.status === status
      ? { unchanged: true }
      : {
          patch: { status, statusReason: reason },
          before: { status: row.status, statusReason: row.status_reason },
          after: { status, statusReason: reason },
        };
  const setPinned = (pinned: boolean): Outcome =>
    (row.pinned === 1) === pinned
      ? { unchanged: true }
      : { patch: { pinned }, before: { pinned: !pinned }, after: { pinned } };

  if (scrubbed(row) && action !== 'delete') return { fail: 'Deleted by its author; nothing is left of it' };
  switch (action) {
    case 'approve':
      return setStatus('approved', null);
    case 'spam':
      return setStatus('spam', 'moderator');
    case 'delete':
      return setStatus('deleted', 'moderator');
    case 'restore':
      if (row.status !== 'spam' && row.status !== 'deleted') {
        return { fail: 'Only comments marked as spam or deleted can be restored' };
      }
      return setStatus('approved', null);
    case 'pin':
      if (row.status === 'deleted') return { fail: 'A deleted comment cannot be pinned' };
      return setPinned(true);
    case 'unpin':
      return setPinned(false);
  }
}

export function registerModerationCommentRoutes(admin: AdminApp, ctx: AppContext) {
  const { store, clock } = ctx;

  admin.openapi(listRoute, async (c) => {
    const { user } = signedIn(c);
    const query = c.req.valid('query');
    const before = query.cursor ? parseCursor(query.cursor) : undefined;
    let siteIds: string[] | undefined;
    if (query.site) {
      await authorize(store, user, query.site, 'moderate');
      siteIds = [query.site];
    } else {
      siteIds = await moderatedSiteIds(store, user);
    }
    if (query.thread) {
      const thread = ID_PATTERN.test(query.thread) ? await store.getThread(query.thread) : undefined;
      if (!thread) throw new ApiError(404, 'not_found', 'No such thread');
      await authorize(store, user, thread.site_id, 'moderate');
      if (siteIds && !siteIds.includes(thread.site_id)) siteIds = [];
    }
    const rows = await store.listComments({
      siteIds,
      status: query.status,
      threadId: query.thread,
      q: query.q || undefined,
      before,
      limit: query.limit,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return c.json(
      {
        comments: await adminViews(ctx, page),
        nextCursor: rows.length > query.limit && last ? cursorOf(last) : null,
      },
      200,
    );
  });

  admin.openapi(actionsRoute, async (c) => {
    const { user } = signedIn(c);
    const { ids, action } = c.req.valid('json');
    const unique = [...new Set(ids)];
    const rows = new Map((await store.getModComments(unique)).map((row) => [row.id, row]));
    const allowed = await moderatedSiteIds(store, user);
    const mayModerate = (row: ModComment) => !allowed || allowed.includes(row.thread_site_id);
    const found = [...rows.values()];
    if (found.length > 0 && !found.some(mayModerate)) {
      throw new ApiError(403, 'forbidden', 'You do not have access to this on that site');
    }

    const done: ModComment[] = [];
    const failed: BulkResult['failed'] = [];
    // One action on many comments: its audit entries share a batch, and the log shows them as one.
    const batch = unique.length > 1 ? { batchId: newId(clock.now()) } : {};
    for (const id of unique) {
      const row = rows.get(id);
      if (!row) {
        failed.push({ id, reason: 'No such comment' });
        continue;
      }
      if (!mayModerate(row)) {
        failed.push({ id, reason: 'You do not moderate that site' });
        continue;
      }
      const outcome = planModeration(action, row);
      if ('fail' in outcome) {
        failed.push({ id, reason: outcome.fail });
        continue;
      }
      if ('unchanged' in outcome) {
        done.push(row);
        continue;
      }
      await store.updateComment(row, outcome.patch);
      await recordAudit(ctx, user, {
        siteId: row.thread_site_id,
        action: `comment.${action}`,
        targetId: row.id,
        before: outcome.before,
        after: outcome.after,
        ...batch,
      });
      done.push({
        ...row,
        ...(outcome.patch.status !== undefined && {
          status: outcome.patch.status,
          status_reason: outcome.patch.statusReason ?? null,
        }),
        ...(outcome.patch.pinned !== undefined && { pinned: outcome.patch.pinned ? 1 : 0 }),
      });
    }
    return c.json({ comments: await adminViews(ctx, done), failed }, 200);
  });

  admin.openapi(editRoute, async (c) => {
    const { user } = signedIn(c);
    const row = await moderatedComment(ctx, user, c.req.valid('param').id);
    if (scrubbed(row)) {
      throw new ApiError(422, 'invalid_input', 'Its author deleted this comment', {
        body: 'Nothing is left to edit',
      });
    }
    const { body: text } = c.req.valid('json');
    const html = renderMarkdown(text);
    const editedAt = clock.now();
    await store.updateComment(row, { body: text, html, editedAt, editedByModerator: true });
    await recordAudit(ctx, user, {
      siteId: row.thread_site_id,
      action: 'comment.edit',
      targetId: row.id,
      before: { body: row.body },
      after: { body: text },
    });
    const [view] = await adminViews(ctx, [
      { ...row, body: text, html, edited_at: editedAt, edited_by_moderator: 1 },
    ]);
    return c.json(view as z.infer<typeof AdminCommentSchema>, 200);
  });

  admin.openapi(replyRoute, async (c) => {
    const { user } = signedIn(c);
    const parent = await moderatedComment(ctx, user, c.req.valid('param').id);
    if (parent.status !== 'approved') {
      throw new ApiError(422, 'invalid_input', 'Approve this comment before replying to it', {
        body: 'Replies go under approved comments only',
      });
    }
    const site = await store.getSite(parent.thread_site_id);
    if (!site) throw new ApiError(404, 'not_found', 'No such comment');
    const settings = effectiveSettings(site, ctx.config);
    if (parent.depth + 1 > settings.maxDepth) {
      throw new ApiError(422, 'invalid_input', 'This thread is too deep to reply here', {
        body: `Replies go at most ${settings.maxDepth} levels deep on this site`,
      });
    }
    const { body: text } = c.req.valid('json');
    const secret = await ctx.secret();
    const email = user.email.toLowerCase();
    // A member's reply skips the anti-spam checks and is published at once, with their name.
    const row = await newCommentRow(secret, {
      threadId: parent.thread_id,
      siteId: parent.thread_site_id,
      parent,
      status: 'approved',
      statusReason: null,
      name: user.name,
      email,
      emailHash: await emailHashOf(secret, email),
      clientHash: await ctx.clientHash(c),
      body: text,
      html: renderMarkdown(text),
      editTokenHash: null,
      authorUserId: user.id,
      now: clock.now(),
    });
    await store.insertComment(row);
    await recordAudit(ctx, user, {
      siteId: parent.thread_site_id,
      action: 'comment.reply',
      targetId: row.id,
      after: { parentId: parent.id, body: text },
    });
    // Read back rather than pieced together from the parent's row, which carries the parent's own parent.
    const [view] = await adminViews(ctx, await store.getModComments([row.id]));
    return c.json(view as z.infer<typeof AdminCommentSchema>, 201);
  });
}
