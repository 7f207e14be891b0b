import type { Config } from '../config.ts';
import { newId } from '../ids.ts';
import type { Store } from '../store/store.ts';
import { hashPassword } from './password.ts';

/**
 * Creates the first server owner from configuration when the server has none: the way to set up a deployment
 * with no shell, such as Workers (`PARLEY_ADMIN_EMAIL` and `PARLEY_ADMIN_PASSWORD` as secrets). Does nothing once
 * any owner exists, so the variables can stay set.
 */
export async function ensureBootstrapAdmin(store: Store, config: Config, now: number): Promise<void> {
  const wanted = config.bootstrapAdmin;
  if (!wanted || (await store.listAdmins()).length > 0) return;
  if (await store.findUserByEmail(wanted.email)) return;
  await store.insertUser({
    id: newId(now),
    email: wanted.email.toLowerCase(),
    name: wanted.email.split('@')[0] ?? 'Owner',
    password_hash: await hashPassword(wanted.password, config.passwordIterations),
    is_admin: 1,
    created_at: now,
  });
}
