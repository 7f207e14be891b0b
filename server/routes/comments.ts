import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import {
  CommentSchema,
  type CommentView,
  CreateCommentSchema,
  CreatedCommentSchema,
  ErrorSchema,
  OwnCommentsRequestSchema,
  OwnCommentsSchema,
  PreviewResultSchema,
  PreviewSchema,
  UpdateCommentSchema,
} from '../../shared/schemas.ts';
import { text } from '../../shared/text.ts';
import type { AppContext, ParleyApp } from '../app-context.ts';
import { takeOut } from '../comment-removal.ts';
import { emailHashOf, newCommentRow } from '../comment-row.ts';
import { toCommentView } from '../comment-view.ts';
import type { RateRule } from '../config.ts';
import { constantTimeEqual, randomToken, sha256 } from '../crypto.ts';
import { ApiError } from '../errors.ts';
import { ID_PATTERN, newId } from '../ids.ts';
import { isVerified, subscribeReader } from '../mail/subscriptions.ts';
import { renderMarkdown } from '../markdown.ts';
import { createChecks, runChecks } from '../moderation/checks.ts';
import {
  assertOrigin,
  assertPageUrl,
  effectiveSettings,
  isLocked,
  settingsFor,
  siteNotFound,
} from '../site-settings.ts';
import { patchedRow } from '../store/comment-patch.ts';
import { canonicalUrl, threadKey } from '../thread-key.ts';
import { AUTHOR_ERRORS, ERROR_RESPONSES, IdParams, json, jsonBody, SITE_ERRORS } from './responses.ts';

const TokenHeader = z.object({
  authorization: text().optional().openapi({ description: 'Bearer <editToken> from the creation response' }),
});

const createRouteDef = createRoute({
  method: 'post',
  path: '/api/comments',
  summary: 'Post a comment or a reply',
  request: jsonBody(CreateCommentSchema),
  description:
    'A comment may be held for moderation (status `pending`): the site moderates first-time or all commenters, ' +
    'it has too many links or a blocked word, or a spam check caught it.',
  responses: {
    201: json(CreatedCommentSchema, 'Stored; keep the edit token to edit or delete within the edit window'),
    ...ERROR_RESPONSES,
    ...SITE_ERRORS,
    403: json(ErrorSchema, 'The thread is locked, the commenter is banned, or the origin is not accepted'),
  },
});

const updateRouteDef = createRoute({
  method: 'patch',
  path: '/api/comments/{id}',
  summary: "Edit one's own comment within the edit window",
  request: { params: IdParams, headers: TokenHeader, ...jsonBody(UpdateCommentSchema) },
  responses: {
    200: json(z.object({ comment: CommentSchema }), 'The edited comment; `pending` if the new text is held'),
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

const ownRouteDef = createRoute({
  method: 'post',
  path: '/api/comments/own',
  summary: "The current state of one's own comments, pending ones included",
  description:
    'For a browser that keeps the edit tokens of what it posted: shows the author their comments awaiting ' +
    'moderation after a reload. Comments that are gone or whose token does not match are left out.',
  request: jsonBody(OwnCommentsRequestSchema),
  responses: { 200: json(OwnCommentsSchema, 'The comments found'), ...ERROR_RESPONSES },
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
  const checks = createChecks(ctx);
  const settingsOf = settingsFor(config);

  const requestInfo = (c: Context) => ({
    address: ctx.clientAddress(c),
    userAgent: c.req.header('User-Agent') ?? '',
    referrer: c.req.header('Referer') ?? '',
  });

  // Limits come before parsing and validation, the cheapest work first: an over-limit client costs one upsert.
  const limitFirst = (bucket: string, rule: RateRule) =>
    createMiddleware(async (c, next) => {
      await limits.hit(bucket, await ctx.clientHash(c), rule);
      await next();
    });
  app.on('POST', '/api/comments', limitFirst('write', config.rateLimits.write));
  app.on('POST', '/api/comments/own', limitFirst('own', config.rateLimits.own));

  app.openapi(createRouteDef, async (c) => {
    const input = c.req.valid('json');
    const now = clock.now();
    const siteId = input.site ?? 'default';
    const key = threadKey(input.url, input.pageId);
    const found = await ctx.versions.findForWrite(siteId, key);
    if (!found) throw siteNotFound(siteId);
    const settings = settingsOf(found.site);
    assertOrigin(c, settings);
    assertPageUrl(input.url, settings);

    const email = input.email ? input.email.toLowerCase() : null;
    const name = input.name ?? '';
    const missing: Record<string, string> = {};
    if (settings.requireName && !name) missing.name = 'This site asks for a name';
    if (settings.requireEmail && !email) missing.email = 'This site asks for an email address';
    if (Object.keys(missing).length > 0) {
      throw new ApiError(422, 'invalid_input', 'Some fields need attention', missing);
    }

    const existing = found.thread;
    const parent = input.parentId ? await store.getComment(input.parentId) : undefined;
    if (input.parentId && (!parent || parent.thread_id !== existing?.id || parent.status !== 'approved')) {
      throw new ApiError(422, 'invalid_input', 'That comment cannot be replied to', {
        parentId: 'No such comment in this thread',
      });
    }
    if (parent && parent.depth + 1 > settings.maxDepth) {
      throw new ApiError(422, 'invalid_input', 'This thread is too deep to reply here', {
        parentId:
          settings.maxDepth === 0
            ? 'This site takes no replies'
            : `Replies go at most ${settings.maxDepth} levels deep`,
      });
    }
    if (isLocked(existing, settings, now)) {
      throw new ApiError(403, 'thread_locked', 'This thread is closed for new comments');
    }

    const secret = await ctx.secret();
    const clientHash = await ctx.clientHash(c);
    const emailHash = email ? await emailHashOf(secret, email) : null;
    const html = renderMarkdown(input.body);
    const url = canonicalUrl(input.url);
    const verdict = await runChecks(checks.onPost, {
      siteId,
      settings,
      threadUrl: url,
      name,
      email,
      emailHash,
      clientHash,
      body: input.body,
      html,
      honeypot: Boolean(input.website),
      request: requestInfo(c),
    });

    // The first post names the thread; later ones never rename it, held or not (moderators can).
    const thread =
      existing ??
      (await store.ensureThread({ id: newId(now), siteId, key, url, title: input.title ?? null, now }));

    const token = randomToken();
    const row = await newCommentRow(secret, {
      threadId: thread.id,
      siteId,
      parent,
      status: verdict.status,
      statusReason: verdict.reason,
      name,
      email,
      emailHash,
      clientHash,
      body: input.body,
      html,
      editTokenHash: await sha256(token),
      now,
    });
    if (await isVerified(ctx, siteId, emailHash, input.browserKey)) row.verified = 1;
    await store.insertComment(row);
    if (input.notify && verdict.status !== 'spam') {
      await subscribeReader(ctx, c, {
        comment: row,
        thread,
        siteName: found.site.name,
        browserKey: input.browserKey,
        lang: input.lang,
      });
    }
    return c.json(
      { comment: toCommentView(row), editToken: token, editableUntil: now + settings.editWindowMs },
      201,
    );
  });

  /**
   * The comment named in the path with its site's settings, if the bearer token proves authorship, the page's
   * origin is accepted and the edit window is open.
   */
  async function ownComment(c: Context, id: string, authorization: string | undefined) {
    await limits.hit('write', await ctx.clientHash(c), config.rateLimits.write);
    const comment = ID_PATTERN.test(id) ? await store.getComment(id) : undefined;
    if (!comment || comment.status === 'deleted') throw new ApiError(404, 'not_found', 'No such comment');
    const site = comment.site_id ? await store.getSite(comment.site_id) : undefined;
    if (!site) throw new ApiError(404, 'not_found', 'No such comment');
    const settings = effectiveSettings(site, config);
    assertOrigin(c, settings);
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const hash = token ? await sha256(token) : '';
    if (!comment.edit_token_hash || !constantTimeEqual(hash, comment.edit_token_hash)) {
      throw new ApiError(
        403,
        'forbidden',
        'Only the author can change this comment, from the browser they used',
      );
    }
    if (clock.now() > comment.created_at + settings.editWindowMs) {
      throw new ApiError(403, 'edit_window_closed', 'The time to edit or delete this comment has passed');
    }
    return { comment, settings };
  }

  app.openapi(updateRouteDef, async (c) => {
    const { comment, settings } = await ownComment(
      c,
      c.req.valid('param').id,
      c.req.valid('header').authorization,
    );
    const { body } = c.req.valid('json');
    const html = renderMarkdown(body);
    // New text goes through the content checks again: an approved comment must not turn into spam unseen.
    const verdict = await runChecks(checks.onEdit, {
      siteId: comment.site_id ?? 'default',
      settings,
      threadUrl: '',
      name: comment.author_name,
      email: comment.author_email,
      emailHash: comment.email_hash,
      clientHash: comment.client_hash,
      body,
      html,
      honeypot: false,
      request: requestInfo(c),
    });
    const held = verdict.status !== 'approved' && comment.status === 'approved';
    const patch = {
      body,
      html,
      editedAt: clock.now(),
      ...(held && { status: verdict.status, statusReason: verdict.reason }),
    };
    await store.updateComment(comment, patch);
    return c.json({ comment: toCommentView(patchedRow(comment, patch)) }, 200);
  });

  app.openapi(deleteRouteDef, async (c) => {
    const { comment } = await ownComment(c, c.req.valid('param').id, c.req.valid('header').authorization);
    if ((await takeOut(store, comment)) === 'placeholder') {
      return c.json({ comment: toCommentView({ ...comment, status: 'deleted' }) }, 200);
    }
    return c.json({ comment: null }, 200);
  });

  app.openapi(ownRouteDef, async (c) => {
    const asked = c.req.valid('json').comments;
    const rows = new Map((await store.getComments(asked.map((each) => each.id))).map((row) => [row.id, row]));
    const comments: CommentView[] = [];
    for (const { id, token } of asked) {
      const row = rows.get(id);
      if (!row || row.status === 'deleted' || !row.edit_token_hash) continue;
      if (!constantTimeEqual(await sha256(token), row.edit_token_hash)) continue;
      comments.push(toCommentView(row));
    }
    return c.json({ comments }, 200);
  });

  app.openapi(previewRouteDef, async (c) => {
    await limits.hit('preview', await ctx.clientHash(c), config.rateLimits.preview);
    return c.json({ html: renderMarkdown(c.req.valid('json').body) }, 200);
  });
}
