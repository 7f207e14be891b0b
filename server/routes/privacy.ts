import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { LIMITS } from '../../shared/limits.ts';
import { PrivacyRequestSchema } from '../../shared/privacy-schemas.ts';
import { ErrorSchema } from '../../shared/schemas.ts';
import { hasNul } from '../../shared/text.ts';
import type { AppContext, ParleyApp } from '../app-context.ts';
import { ApiError } from '../errors.ts';
import { emailOfToken, mailPrivacyLink } from '../privacy/links.ts';
import {
  askPage,
  badRequestPage,
  checkMailPage,
  dataPage,
  erasedPage,
  expiredPage,
  html,
  page,
  pageHeaders,
} from '../privacy/pages.ts';
import { eraseEmail, personalData } from '../privacy/personal-data.ts';
import { ERROR_RESPONSES, json, jsonBody } from './responses.ts';

const requestRoute = createRoute({
  method: 'post',
  path: '/api/privacy/requests',
  summary: 'Mail a link to see, download or erase what is stored under an email',
  description:
    'Answers the same whether or not anything is stored under the email. The link opens `/privacy?token=…` for ' +
    'an hour. Limited to 5 a client and 3 an email per hour. 503 `mail_off` when the server sends no mail.',
  request: jsonBody(PrivacyRequestSchema),
  responses: {
    202: json(z.object({ sent: z.literal(true) }), 'A link is on its way if the address receives mail'),
    ...ERROR_RESPONSES,
    503: json(ErrorSchema, 'The server sends no mail (`mail_off`)'),
  },
});

const FORM_BYTES_MAX = 8 * 1024;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{1,63}$/;

/** One field of a posted form as text; undefined when absent, a file, or holding a NUL. */
const field = (form: Record<string, unknown>, name: string) => {
  const value = form[name];
  return typeof value === 'string' && !hasNul(value) ? value : undefined;
};

/**
 * The privacy request of docs/privacy.md: a JSON operation to ask for a link, and the pages behind it, which work
 * without script (a form to ask, the link's page with "Download my data" and "Erase").
 */
export function registerPrivacyRoutes(app: ParleyApp, ctx: AppContext) {
  app.openapi(requestRoute, async (c) => {
    await mailPrivacyLink(ctx, c, c.req.valid('json').email);
    return c.json({ sent: true as const }, 202);
  });

  const show = async (c: Context, status: 200 | 400 | 404 | 429 | 503, body: string) =>
    c.body(body, status, await pageHeaders());

  /** A page for a refusal thrown as an API error (a limit, mail off); anything else goes to the app's handler. */
  const refusal = async (c: Context, error: unknown) => {
    if (!(error instanceof ApiError)) throw error;
    const status = error.status === 429 ? 429 : 503;
    return c.body(page('Not now', `<p>${html(error.message)}</p>`), status, {
      ...error.headers,
      ...(await pageHeaders()),
    });
  };

  app.get('/privacy', async (c) => {
    const token = c.req.query('token');
    if (token === undefined) return show(c, 200, askPage());
    const email = hasNul(token) ? undefined : await emailOfToken(ctx, token);
    if (!email) return show(c, 404, expiredPage());
    const data = await personalData(ctx, email);
    const pages = new Set(data.comments.map((comment) => comment.page.url)).size;
    return show(
      c,
      200,
      dataPage(token, email, {
        comments: data.comments.length,
        pages,
        subscriptions: data.subscriptions.length,
      }),
    );
  });

  app.post(
    '/privacy',
    bodyLimit({
      maxSize: FORM_BYTES_MAX,
      onError: async (c) => c.body(badRequestPage(), 413, await pageHeaders()),
    }),
    async (c) => {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const action = field(form, 'action');
      if (action === 'request') {
        const email = field(form, 'email')?.trim();
        if (!email || email.length > LIMITS.emailMax || !EMAIL.test(email))
          return show(c, 400, askPage('<p role="alert">Enter an email address.</p>'));
        try {
          await mailPrivacyLink(ctx, c, email);
        } catch (error) {
          return refusal(c, error);
        }
        return show(c, 200, checkMailPage(email));
      }
      const token = field(form, 'token');
      if (!token || (action !== 'download' && action !== 'erase')) return show(c, 400, badRequestPage());
      const email = await emailOfToken(ctx, token);
      if (!email) return show(c, 404, expiredPage());
      if (action === 'download') {
        const data = await personalData(ctx, email);
        return c.body(JSON.stringify(data, null, 2), 200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Disposition': 'attachment; filename="my-comments.json"',
          'Cache-Control': 'no-store',
          'Referrer-Policy': 'no-referrer',
        });
      }
      if (field(form, 'confirm') !== 'yes') return show(c, 400, badRequestPage());
      const erased = await eraseEmail(ctx, email);
      return show(c, 200, erasedPage(erased));
    },
  );
}
