import { parseArgs } from 'node:util';
import { hashPassword } from '../auth/password.ts';
import { configFromEnv } from '../config.ts';
import { newId } from '../ids.ts';
import { DEFAULT_DATABASE_URL, openDatabase } from '../node/database.ts';
import { kyselyStore } from '../store/kysely-store.ts';
import type { Store } from '../store/store.ts';
import { type CliIo, UsageError } from './io.ts';

/*
 * `npm run parley -- admin create --email owner@example.com`: server owners from a shell, on the database the
 * server uses (DATABASE_URL).
 */

export const MIN_PASSWORD = 10;

export const ADMIN_HELP = `  admin create --email E [--name N]   create a server owner; asks for the password
  admin list                          list the server owners
  admin reset-password --email E      set a new password for any account and sign it out everywhere
`;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function readNewPassword(io: CliIo): Promise<string> {
  const password = await io.newPassword(MIN_PASSWORD);
  if (password === null) throw new UsageError('The two passwords differ; nothing was changed.');
  if (password.length < MIN_PASSWORD) {
    throw new UsageError(`The password needs at least ${MIN_PASSWORD} characters; nothing was changed.`);
  }
  return password;
}

function emailOption(value: string | undefined): string {
  if (!value) throw new UsageError('Give the account with --email, e.g. --email owner@example.com');
  if (!EMAIL.test(value)) throw new UsageError(`"${value}" does not look like an email address.`);
  return value.toLowerCase();
}

async function createAdmin(io: CliIo, store: Store, email: string, name: string | undefined) {
  if (await store.findUserByEmail(email)) {
    throw new UsageError(`${email} already has an account; use admin reset-password to change its password.`);
  }
  const password = await readNewPassword(io);
  const now = Date.now();
  const iterations = configFromEnv(io.env).passwordIterations;
  await store.insertUser({
    id: newId(now),
    email,
    name: name?.trim() || (email.split('@')[0] ?? email),
    password_hash: await hashPassword(password, iterations),
    is_admin: 1,
    created_at: now,
  });
  io.out(`Created server owner ${email}. Sign in at /admin.\n`);
}

async function listAdmins(io: CliIo, store: Store) {
  const admins = await store.listAdmins();
  if (admins.length === 0) {
    io.out('No server owners yet. Create one with: npm run parley -- admin create --email E\n');
    return;
  }
  for (const admin of admins) {
    const since = new Date(admin.created_at).toISOString().slice(0, 10);
    io.out(`${admin.email}\t${admin.name}\tsince ${since}\n`);
  }
}

async function resetPassword(io: CliIo, store: Store, email: string) {
  const user = await store.findUserByEmail(email);
  if (!user) throw new UsageError(`No account has the email ${email}.`);
  const password = await readNewPassword(io);
  const iterations = configFromEnv(io.env).passwordIterations;
  await store.setPassword(user.id, await hashPassword(password, iterations));
  await store.deleteUserSessions(user.id);
  io.out(`Changed the password of ${email} and signed it out everywhere.\n`);
}

/** `admin create`, `admin list` and `admin reset-password`; `argv` starts after `admin`. */
export async function runAdminCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' } },
  });
  const command = positionals.join(' ');
  const known = ['create', 'list', 'reset-password'];
  if (!known.includes(command)) throw new UsageError(`Unknown command "admin ${command}". See --help.`);
  // Checked before the database is opened, so a typo never creates an empty database file.
  const email = command === 'list' ? '' : emailOption(values.email);

  const store = kyselyStore(openDatabase(io.env.DATABASE_URL ?? DEFAULT_DATABASE_URL));
  try {
    await store.migrate();
    if (command === 'create') await createAdmin(io, store, email, values.name);
    else if (command === 'list') await listAdmins(io, store);
    else await resetPassword(io, store, email);
    return 0;
  } finally {
    await store.close();
  }
}
