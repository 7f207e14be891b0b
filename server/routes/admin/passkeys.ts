import { createRoute, z } from '@hono/zod-openapi';
import {
  type Passkey,
  PasskeyLoginSchema,
  PasskeyRegistrationSchema,
  PasskeySchema,
  SessionSchema,
  WebAuthnOptionsSchema,
} from '../../../shared/admin-schemas.ts';
import { text } from '../../../shared/text.ts';
import type { AppContext } from '../../app-context.ts';
import {
  loginOptions,
  registerPasskey,
  registrationOptions,
  relyingPartyFor,
  signInWithPasskey,
} from '../../auth/passkeys.ts';
import { startSession } from '../../auth/sessions.ts';
import { ApiError } from '../../errors.ts';
import type { PasskeyRow } from '../../store/schema.ts';
import { ADMIN_ERRORS, json, jsonBody } from '../responses.ts';
import { type AdminApp, requireSession, signedIn } from './admin-env.ts';
import { sessionView } from './session.ts';

// Anyone may ask for sign-in options, and each one is a stored challenge: enough for people, not for a flood.
const LOGIN_OPTIONS_RULE = { max: 30, windowMs: 60_000 };

// Credential ids run to over a thousand characters of base64url.
const PasskeyParams = z.object({
  id: text()
    .max(1400)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const registerOptionsRoute = createRoute({
  method: 'post',
  path: '/passkeys/register/options',
  summary: 'Start adding a passkey: WebAuthn creation options',
  responses: { 200: json(WebAuthnOptionsSchema, 'Pass to navigator.credentials.create()'), ...ADMIN_ERRORS },
});

const registerRoute = createRoute({
  method: 'post',
  path: '/passkeys/register',
  summary: 'Finish adding a passkey',
  middleware: [requireSession],
  request: jsonBody(PasskeyRegistrationSchema),
  responses: { 201: json(PasskeySchema, 'The stored passkey'), ...ADMIN_ERRORS },
});

const listRoute = createRoute({
  method: 'get',
  path: '/passkeys',
  summary: "The caller's passkeys, oldest first",
  responses: { 200: json(z.array(PasskeySchema), 'Passkeys'), ...ADMIN_ERRORS },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/passkeys/{id}',
  summary: 'Remove one of the caller’s passkeys',
  middleware: [requireSession],
  request: { params: PasskeyParams },
  responses: { 200: json(z.object({ deleted: z.literal(true) }), 'Removed'), ...ADMIN_ERRORS },
});

const loginOptionsRoute = createRoute({
  method: 'post',
  path: '/passkeys/login/options',
  summary: 'Start signing in with a passkey: WebAuthn request options',
  responses: { 200: json(WebAuthnOptionsSchema, 'Pass to navigator.credentials.get()'), ...ADMIN_ERRORS },
});

const loginRoute = createRoute({
  method: 'post',
  path: '/passkeys/login',
  summary: 'Sign in with a passkey',
  request: jsonBody(PasskeyLoginSchema),
  responses: { 200: json(SessionSchema, 'Signed in; the session cookie is set'), ...ADMIN_ERRORS },
});

function toPasskeyView(row: PasskeyRow): Passkey {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

export function registerPasskeyRoutes(admin: AdminApp, ctx: AppContext) {
  const { store, clock, config } = ctx;

  admin.openapi(registerOptionsRoute, async (c) => {
    const { user } = signedIn(c);
    return c.json(
      await registrationOptions(store, user, relyingPartyFor(ctx.publicOrigin(c)), clock.now()),
      200,
    );
  });

  admin.openapi(registerRoute, async (c) => {
    const { user } = signedIn(c);
    const passkey = await registerPasskey(
      store,
      user,
      relyingPartyFor(ctx.publicOrigin(c)),
      c.req.valid('json'),
      clock.now(),
    );
    return c.json(toPasskeyView(passkey), 201);
  });

  admin.openapi(listRoute, async (c) => {
    const { user } = signedIn(c);
    return c.json((await store.listPasskeys(user.id)).map(toPasskeyView), 200);
  });

  admin.openapi(deleteRoute, async (c) => {
    const { user } = signedIn(c);
    if (!(await store.deletePasskey(user.id, c.req.valid('param').id))) {
      throw new ApiError(404, 'not_found', 'You have no passkey with that id');
    }
    return c.json({ deleted: true as const }, 200);
  });

  admin.openapi(loginOptionsRoute, async (c) => {
    await ctx.limits.hit('passkey-options', await ctx.clientHash(c), LOGIN_OPTIONS_RULE);
    return c.json(await loginOptions(store, relyingPartyFor(ctx.publicOrigin(c)), clock.now()), 200);
  });

  admin.openapi(loginRoute, async (c) => {
    const user = await signInWithPasskey(
      store,
      relyingPartyFor(ctx.publicOrigin(c)),
      c.req.valid('json'),
      clock.now(),
    );
    const session = await startSession(c, store, user, clock.now(), config);
    return c.json(await sessionView(ctx, user, session), 200);
  });
}
