import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ErrorSchema } from '../../shared/schemas.ts';
import { text } from '../../shared/text.ts';
import type { AppContext, ParleyApp } from '../app-context.ts';
import { authorize } from '../auth/access.ts';
import { ApiError } from '../errors.ts';
import { type MailLink, readLinkToken } from '../mail/links.ts';
import { html as escapeHtml, page, pageHeaders } from '../page-shell.ts';
import { planModeration } from './admin/comments.ts';
import { recordAudit } from './admin/scope.ts';

/*
 * The pages the links in mail open. Mail scanners fetch links to look at them, so a GET only shows what the link
 * would do, with a button; the button's POST does it. One-click unsubscribe (RFC 8058) POSTs to the same address.
 * Answers are small HTML pages for people, in the shell the privacy pages use too; failures are HTML for a browser
 * and JSON for anything else.
 */

const TokenQuery = z.object({
  t: text().max(300).openapi({ description: 'The signed token from the link in the mail' }),
});

const PAGES = ['moderate', 'confirm', 'unsubscribe'] as const;
type Page = (typeof PAGES)[number];

const SUMMARIES: Record<Page, [get: string, post: string]> = {
  moderate: [
    'What a one-click moderation link from a mail would do, with a button to do it',
    'Approve, mark as spam or delete the comment a moderation mail names (each mail’s links work once, for 7 days)',
  ],
  confirm: [
    'The page a reader’s confirmation link opens, with a button to confirm',
    'Confirm a reader’s address: replies to their watched comments are mailed to them from now on',
  ],
  unsubscribe: [
    'The page a reply mail’s unsubscribe link opens, with a button to stop the mails',
    'Stop every reply mail to the address on its site (also the RFC 8058 one-click POST)',
  ],
};

const htmlAnswer = (description: string) => ({
  description,
  content: { 'text/html': { schema: z.string() } },
});

/** A failure: a page for a browser (`Accept: text/html`), the API's error JSON for anything else. */
const failure = (description: string) => ({
  description,
  content: { 'text/html': { schema: z.string() }, 'application/json': { schema: ErrorSchema } },
});

const routeFor = (page: Page, method: 'get' | 'post') =>
  createRoute({
    method,
    path: `/mail/${page}`,
    summary: SUMMARIES[page][method === 'get' ? 0 : 1],
    request: { query: TokenQuery },
    responses: {
      200: htmlAnswer('A page for the reader or moderator'),
      400: { description: 'Malformed query', content: { 'application/json': { schema: ErrorSchema } } },
      403: failure('The link no longer gives access (the member left the site)'),
      404: failure('The link is not valid, or what it names is gone'),
      410: failure('The link has expired or was used (`link_spent`)'),
    },
  });

/** A form that POSTs the same link: the button is the only way to act. */
const button = (token: string, page: Page, label: string) =>
  `<form method="post" action="/mail/${page}?t=${escapeHtml(encodeURIComponent(token))}"><button type="submit">${escapeHtml(label)}</button></form>`;

class PageError extends Error {
  constructor(
    readonly status: 403 | 404 | 410,
    readonly code: 'forbidden' | 'not_found' | 'link_spent',
    message: string,
  ) {
    super(message);
  }
}

const invalid = () => new PageError(404, 'not_found', 'This link is not valid.');

const ACTION_WORDS = {
  approve: ['Approve this comment', 'Approved'],
  spam: ['Mark this comment as spam', 'Marked as spam'],
  delete: ['Delete this comment', 'Deleted'],
} as const;

export function registerMailPages(app: ParleyApp, ctx: AppContext) {
  const { store, clock } = ctx;

  async function linkFrom<K extends MailLink['kind']>(token: string, kind: K) {
    const link = await readLinkToken(await ctx.secret(), token);
    if (link?.kind !== kind) throw invalid();
    if ('expires' in link && link.expires < clock.now()) {
      throw new PageError(410, 'link_spent', 'This link has expired.');
    }
    return link as Extract<MailLink, { kind: K }>;
  }

  /** The comment a moderation link names, if its member may still moderate it. */
  async function moderated(link: Extract<MailLink, { kind: 'moderate' }>) {
    const [row] = await store.getModComments([link.commentId]);
    const user = await store.getUser(link.userId);
    if (!row || !user) throw new PageError(404, 'not_found', 'This comment is gone.');
    await authorize(store, user, row.thread_site_id, 'moderate').catch(() => {
      throw new PageError(403, 'forbidden', 'You no longer moderate this site.');
    });
    return { row, user };
  }

  const handlers: Record<
    Page,
    { get(token: string): Promise<string>; post(token: string): Promise<string> }
  > = {
    moderate: {
      async get(token) {
        const link = await linkFrom(token, 'moderate');
        const { row } = await moderated(link);
        const [label] = ACTION_WORDS[link.action];
        return page(
          label,
          `<p><b>${escapeHtml(row.author_name || 'Anonymous')}</b> wrote:</p><blockquote>${escapeHtml(
            row.body,
          )}</blockquote>${button(token, 'moderate', label)}`,
        );
      },
      async post(token) {
        const link = await linkFrom(token, 'moderate');
        const { row, user } = await moderated(link);
        if (!(await store.useMailLink(link.nonce, clock.now()))) {
          throw new PageError(410, 'link_spent', 'This mail’s links were used already.');
        }
        const outcome = planModeration(link.action, row);
        if ('fail' in outcome) return page('Nothing done', `<p>${escapeHtml(outcome.fail)}</p>`);
        if ('patch' in outcome) {
          await store.updateComment(row, outcome.patch);
          await recordAudit(ctx, user, {
            siteId: row.thread_site_id,
            action: `comment.${link.action}`,
            targetId: row.id,
            before: outcome.before,
            after: outcome.after,
          });
        }
        return page(ACTION_WORDS[link.action][1], '<p><a href="/admin/">Open the dashboard</a></p>');
      },
    },
    confirm: {
      async get(token) {
        await linkFrom(token, 'confirm');
        return page(
          'Email me replies',
          `<p>Confirm to get an email when someone replies to your comment.</p>${button(token, 'confirm', 'Confirm')}`,
        );
      },
      async post(token) {
        const link = await linkFrom(token, 'confirm');
        if (!(await store.getSubscription(link.subscriptionId))) throw invalid();
        await store.confirmSubscription(link.subscriptionId, clock.now());
        return page('Confirmed', '<p>You will get an email when someone replies to your comment.</p>');
      },
    },
    unsubscribe: {
      async get(token) {
        await linkFrom(token, 'unsubscribe');
        return page(
          'Stop reply emails',
          `<p>Stop every email about replies to your comments on this site?</p>${button(token, 'unsubscribe', 'Stop them')}`,
        );
      },
      async post(token) {
        const link = await linkFrom(token, 'unsubscribe');
        if (!(await store.getSubscription(link.subscriptionId))) throw invalid();
        await store.unsubscribe(link.subscriptionId, clock.now());
        return page('Unsubscribed', '<p>No more reply emails will come.</p>');
      },
    },
  };

  const answer = async (c: Context, work: () => Promise<string>) => {
    try {
      return c.body(await work(), 200, await pageHeaders());
    } catch (error) {
      if (!(error instanceof PageError)) throw error;
      if (!/text\/html/.test(c.req.header('Accept') ?? '')) {
        throw new ApiError(error.status, error.code, error.message);
      }
      const title = error.message.replace(/\.$/, '');
      return c.body(page(title, '<p>Nothing was changed.</p>'), error.status, await pageHeaders());
    }
  };

  for (const name of PAGES) {
    app.openapi(routeFor(name, 'get'), (c) => answer(c, () => handlers[name].get(c.req.valid('query').t)));
    app.openapi(routeFor(name, 'post'), (c) => answer(c, () => handlers[name].post(c.req.valid('query').t)));
  }
}
