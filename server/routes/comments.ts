import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  CommentSchema,
  CreateCommentSchema,
  CreatedCommentSchema,
  PreviewResultSchema,
  PreviewSchema,
  UpdateCommentSchema,
} from '../../shared/schemas.ts';
import type { AppContext, ParleyApp } from '../app.ts';
import { toCommentView } from '../comment-view.ts';
import { constantTimeEqual, keyedHash, randomToken, sha256 } from '../crypto.ts';
import { ApiError } from '../errors.ts';
import { ID_PATTERN, newId } from '../ids.ts';
import { renderMarkdown } from '../markdown.ts';
import type { CommentRow } from '../store/schema.ts';
import { canonicalUrl, threadKey } from '../thread-key.ts';
import { AUTHOR_ERRORS, ERROR_RESPONSES, json } from './responses.ts';

const jsonBody = <T>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});
const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
const TokenHeader = z.object({
  authorization: z
    .string()
    .optional()
    .openapi({ description: 'Bearer <editToken> from the creation response' }),
});

const createRouteDef = createRoute({
  method: 'post',
  path: '/api/comments',
  summary: 'Post a comment or a reply',
  request: jsonBody(CreateCommentSchema),
  responses: {
    201: json(CreatedCommentSchema, 'Stored; keep the edit token to edit or delete within the edit window'),
    ...ERROR_RESPONSES,
    403: json(z.unknown(), 'The thread is locked'),
  },
});

const updateRouteDef = createRoute({
  method: 'patch',
  path: '/api/comments/{id}',
  summary: "Edit one's own comment within the edit window",
  request: { params: IdParams, headers: TokenHeader, ...jsonBody(UpdateCommentSchema) },
  responses: {
    200: json(z.object({ comment: CommentSchema }), 'The edited comment'),
    ...ERROR_RESPONSES,
    ...AUTHOR_ERRORS,
  },
});

const deleteRouteDef = createRoute({
  method: 'delete',
  path: '/api/comments/{id}',
  summary: "Delete one's own comment within the edit window",
  description: 'A comment with replies leaves a placeholder (returned); one without is removed (null).',
  request: { params: IdParams, headers: TokenHeader },
  responses: {
    200: json(z.object({ comment: CommentSchema.nullable() }), 'Deleted'),
    429: ERROR_RESPONSES[429],
    ...AUTHOR_ERRORS,
  },
});

const previewRouteDef = createRoute({
  method: 'post',
  path: '/api/preview',
  summary: 'Render markdown exactly as a posted comment would show',
  request: jsonBody(PreviewSchema),
  responses: { 200: json(PreviewResultSchema, 'Rendered HTML'), ...ERROR_RESPONSES },
});

export function registerCommentRoutes(app: ParleyApp, ctx: AppContext) {
  const { store, clock, config, limits } = ctx;

  app.openapi(createRouteDef, async (c) => {
    const input = c.req.valid('json');
    const clientHash = await ctx.clientHash(c);
    await limits.hit('write', clientHash, config.rateLimits.write);

    const now = clock.now();
    const siteId = input.site ?? 'default';
    const key = threadKey(input.url, input.pageId);
    const existing = await store.findThread(siteId, key);
    const parent = input.parentId ? await store.getComment(input.parentId) : undefined;
    if (input.parentId && (!parent || parent.thread_id !== existing?.id || parent.status !== 'approved')) {
      throw new ApiError(422, 'invalid_input', 'That comment cannot be replied to', {
        parentId: 'No such comment in this thread',
      });
    }
    if (parent && parent.depth + 1 > config.maxDepth) {
      throw new ApiError(422, 'invalid_input', 'This thread is too deep to reply here', {
        parentId: `Replies go at most ${config.maxDepth} levels deep`,
      });
    }
    if (existing?.locked) throw new ApiError(403, 'thread_locked', 'This thread is closed for new comments');

    const thread =
      existing && (!input.title || existing.title === input.title)
        ? existing
        : await store.ensureThread({
            id: newId(now),
            siteId,
            key,
            url: canonicalUrl(input.url),
            title: input.title ?? null,
            now,
          });

    const id = newId(now);
    const token = randomToken();
    const secret = await ctx.secret();
    const email = input.email ? input.email.toLowerCase() : null;
    const name = input.name ?? '';
    const row: CommentRow = {
      id,
      thread_id: thread.id,
      parent_id: parent?.id ?? null,
      root_id: parent?.root_id ?? id,
      path: (parent?.path ?? '') + id,
      depth: parent ? parent.depth + 1 : 0,
      // Bots fill the hidden field; their comment is kept as spam (an owner can restore it), never shown.
      status: input.website ? 'spam' : 'approved',
      status_reason: input.website ? 'honeypot' : null,
      author_name: name,
      author_email: email,
      avatar: (await keyedHash(secret, `avatar:${email ?? (name || id)}`)).slice(0, 6),
      client_hash: clientHash,
      body: input.body,
      html: renderMarkdown(input.body),
      edit_token_hash: await sha256(token),
      created_at: now,
      edited_at: null,
      site_id: siteId,
      email_hash: email ? await keyedHash(secret, `email:${email}`) : null,
      author_user_id: null,
      is_owner: 0,
      pinned: 0,
      edited_by_moderator: 0,
    };
    await store.insertComment(row);
    return c.json(
      { comment: toCommentView(row), editToken: token, editableUntil: now + config.editWindowMs },
      201,
    );
  });

  /** The comment named in the path, if the bearer token proves authorship and the edit window is open. */
  async function ownComment(c: Context, id: string, authorization: string | undefined): Promise<CommentRow> {
    await limits.hit('write', await ctx.clientHash(c), config.rateLimits.write);
    const comment = ID_PATTERN.test(id) ? await store.getComment(id) : undefined;
    if (!comment || comment.status === 'deleted') throw new ApiError(404, 'not_found', 'No such comment');
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const hash = token ? await sha256(token) : '';
    if (!comment.edit_token_hash || !constantTimeEqual(hash, comment.edit_token_hash)) {
      throw new ApiError(
        403,
        'forbidden',
        'Only the author can change this comment, from the browser they used',
      );
    }
    if (clock.now() > Number(comment.created_at) + config.editWindowMs) {
      throw new ApiError(403, 'edit_window_closed', 'The time to edit or delete this comment has passed');
    }
    return comment;
  }

  app.openapi(updateRouteDef, async (c) => {
    const comment = await ownComment(c, c.req.valid('param').id, c.req.valid('header').authorization);
    const { body } = c.req.valid('json');
    const patch = { body, html: renderMarkdown(body), editedAt: clock.now() };
    await store.updateComment(comment, patch);
    const edited = { ...comment, body, html: patch.html, edited_at: patch.editedAt };
    return c.json({ comment: toCommentView(edited) }, 200);
  });

  app.openapi(deleteRouteDef, async (c) => {
    const comment = await ownComment(c, c.req.valid('param').id, c.req.valid('header').authorization);
    if (await store.hasReplies(comment.id)) {
      await store.updateComment(comment, { status: 'deleted', scrub: true });
      return c.json({ comment: toCommentView({ ...comment, status: 'deleted' }) }, 200);
    }
    await store.removeComment(comment);
    await removeEmptyPlaceholders(comment.parent_id);
    return c.json({ comment: null }, 200);
  });

  /** Placeholders exist only to hold replies; once the last reply is gone, so are they. */
  async function removeEmptyPlaceholders(parentId: string | null) {
    let id = parentId;
    while (id) {
      const parent = await store.getComment(id);
      if (parent?.status !== 'deleted' || (await store.hasReplies(parent.id))) return;
      await store.removeComment(parent);
      id = parent.parent_id;
    }
  }

  app.openapi(previewRouteDef, async (c) => {
    await limits.hit('preview', await ctx.clientHash(c), config.rateLimits.preview);
    return c.json({ html: renderMarkdown(c.req.valid('json').body) }, 200);
  });
}
