import type { AppContext } from '../app-context.ts';
import { verifyPassword } from './password.ts';

// Verifying against this when there is no hash keeps the answer's timing from telling which emails exist.
const DUMMY_HASH =
  'pbkdf2-sha256$600000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** What a password attempt is counted against: the client, the email, or both. */
export type AttemptKeys = { client?: string; email: string };

/**
 * Checks a password as one attempt against the sign-in limit (signing in, accepting an invite for an existing
 * account, changing the password). The attempt is counted per client and per email before the password is
 * verified, so a parallel burst of guesses verifies at most the limit's worth and the rest get 429; a right
 * password takes its count back, so only failures add up and a right password never locks anyone out.
 *
 * @example
 * if (!(await passwordAttempt(ctx, { client, email }, password, user?.password_hash))) throw unauthorized;
 */
export async function passwordAttempt(
  ctx: AppContext,
  keys: AttemptKeys,
  password: string,
  hash: string | null | undefined,
): Promise<boolean> {
  const rule = ctx.config.rateLimits.signIn;
  const refunds: Array<() => Promise<void>> = [];
  if (keys.client !== undefined) refunds.push(await ctx.limits.attempt('sign-in', keys.client, rule));
  refunds.push(await ctx.limits.attempt('sign-in-email', keys.email.toLowerCase(), rule));
  const valid = await verifyPassword(password, hash ?? DUMMY_HASH);
  if (!hash || !valid) return false;
  await Promise.all(refunds.map((refund) => refund()));
  return true;
}
