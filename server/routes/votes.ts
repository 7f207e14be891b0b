import { createRoute } from '@hono/zod-openapi';
import { VoteResultSchema, VoteSchema } from '../../shared/schemas.ts';
import type { AppContext, ParleyApp } from '../app-context.ts';
import { keyedHash } from '../crypto.ts';
import { ApiError } from '../errors.ts';
import { ID_PATTERN } from '../ids.ts';
import { assertOrigin, effectiveSettings } from '../site-settings.ts';
import { AUTHOR_ERRORS, ERROR_RESPONSES, IdParams, json, jsonBody, SITE_ERRORS } from './responses.ts';

const voteRoute = createRoute({
  method: 'post',
  path: '/api/comments/{id}/vote',
  summary: 'Up-vote a comment, or take the vote back',
  description:
    'One vote per browser: the widget sends the random key it keeps in its storage, and the server keeps only ' +
    "the key's keyed hash. No cookie, no account. The widget remembers which comments it voted for; either " +
    'request, repeated, changes nothing, and the answer always says where the vote stands.',
  request: { params: IdParams, ...jsonBody(VoteSchema) },
  responses: {
    200: json(VoteResultSchema, "The comment's count after the vote"),
    ...ERROR_RESPONSES,
    403: SITE_ERRORS[403],
    404: AUTHOR_ERRORS[404],
  },
});

export function registerVoteRoutes(app: ParleyApp, ctx: AppContext) {
  const { store, config, clock, limits } = ctx;

  // Counted before the body is read, as posts are: a flood of votes costs one upsert each.
  app.on('POST', '/api/comments/:id/vote', async (c, next) => {
    await limits.hit('vote', await ctx.clientHash(c), config.rateLimits.vote);
    await next();
  });

  app.openapi(voteRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { key, voted } = c.req.valid('json');
    const comment = ID_PATTERN.test(id) ? await store.getComment(id) : undefined;
    const site = comment?.site_id ? await store.getSite(comment.site_id) : undefined;
    if (comment?.status !== 'approved' || !site) {
      throw new ApiError(404, 'not_found', 'No such comment');
    }
    assertOrigin(c, effectiveSettings(site, config));
    const voterHash = await keyedHash(await ctx.secret(), `vote:${key}`);
    const { votes } = await store.setVote({ commentId: id, voterHash, voted, now: clock.now() });
    return c.json({ id, votes, voted }, 200);
  });
}
