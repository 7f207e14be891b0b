import { createRoute } from '@hono/zod-openapi';
import { ErasedSchema, PersonalDataSchema, PrivacyEmailSchema } from '../../../shared/privacy-schemas.ts';
import type { AppContext } from '../../app-context.ts';
import { authorize } from '../../auth/access.ts';
import { emailHashOf } from '../../comment-row.ts';
import { eraseEmail, personalData } from '../../privacy/personal-data.ts';
import { ADMIN_ERRORS, json, jsonBody } from '../responses.ts';
import { type AdminApp, requireSession, signedIn } from './admin-env.ts';
import { recordAudit } from './scope.ts';
import { SiteParams } from './sites.ts';

const exportRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/privacy/export',
  summary: 'Everything the site keeps under an email, for a commenter who asked (owners)',
  description: 'Audited (`privacy.export`) under the email’s keyed hash, never the email itself.',
  middleware: [requireSession],
  request: { params: SiteParams, ...jsonBody(PrivacyEmailSchema) },
  responses: { 200: json(PersonalDataSchema, 'The data'), ...ADMIN_ERRORS },
});

const eraseRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/privacy/erase',
  summary: 'Erase the comments the site keeps under an email (owners)',
  description:
    'As the commenter’s own erasure: comments with replies become empty placeholders, the others are removed. ' +
    'Audited (`privacy.erase`) under the email’s keyed hash.',
  middleware: [requireSession],
  request: { params: SiteParams, ...jsonBody(PrivacyEmailSchema) },
  responses: { 200: json(ErasedSchema, 'What was erased'), ...ADMIN_ERRORS },
});

export function registerPrivacyAdminRoutes(admin: AdminApp, ctx: AppContext) {
  const { store } = ctx;
  const hashOf = async (email: string) => emailHashOf(await ctx.secret(), email.toLowerCase());

  admin.openapi(exportRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('param');
    await authorize(store, user, site, 'manage');
    const { email } = c.req.valid('json');
    const data = await personalData(ctx, email, [site]);
    await recordAudit(ctx, user, {
      siteId: site,
      action: 'privacy.export',
      targetId: null,
      after: { emailHash: await hashOf(email), comments: data.comments.length },
    });
    return c.json(data, 200);
  });

  admin.openapi(eraseRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('param');
    await authorize(store, user, site, 'manage');
    const { email } = c.req.valid('json');
    const erased = await eraseEmail(ctx, email, [site]);
    await recordAudit(ctx, user, {
      siteId: site,
      action: 'privacy.erase',
      targetId: null,
      after: { emailHash: await hashOf(email), ...erased },
    });
    return c.json(erased, 200);
  });
}
