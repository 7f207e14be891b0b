import { parseArgs } from 'node:util';
import { hashPassword } from '../auth/password.ts';
import { configFromEnv } from '../config.ts';
import { newId } from '../ids.ts';
import { DEFAULT_DATABASE_URL, openDatabase } from '../node/database.ts';
import { kyselyStore } from '../store/kysely-store.ts';
import type { Store } from '../store/store.ts';
import { PORTABLE_HELP, runPortableCommand } from './import-command.ts';

/*
 * `npm run parley -- admin create --email owner@example.com`: server owners from a shell, on the database the
 * server uses (DATABASE_URL). Passwords are typed at a prompt that does not echo, or piped in on one line.
 */

const MIN_PASSWORD = 10;

const HELP = `Usage: npm run parley -- <command> [options]

Commands:
  admin create --email E [--name N]   create a server owner; asks for the password
  admin list                          list the server owners
  admin reset-password --email E      set a new password for any account and sign it out everywhere
${PORTABLE_HELP}  --help                              show this help

Passwords need at least ${MIN_PASSWORD} characters. At a terminal the password is asked twice (not shown as you
type); otherwise it is read as one line from standard input:  printf '%s\\n' "$PASSWORD" | npm run parley -- admin create --email E

Environment:
  DATABASE_URL                 file:PATH (SQLite) or postgres://… (default: ${DEFAULT_DATABASE_URL})
  PARLEY_PASSWORD_ITERATIONS   PBKDF2 iterations for new password hashes (default: 600000)

Exit status: 0 done, 1 a usage or validation error, 2 the database failed.
`;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A mistake of the person at the keyboard: printed as is, exit status 1. */
class UsageError extends Error {}

// What was typed past the end of the line a prompt took (a pasted answer and the next one), kept for the next.
let typedAhead = '';

/** Reads one line from the terminal with echo off; Ctrl-C ends the program. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  // Echo goes off before the question shows, so an answer typed at once is not shown either.
  stdin.setRawMode(true);
  stderr.write(question);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve) => {
    let typed = '';
    const take = (chunk: string) => {
      for (let i = 0; i < chunk.length; i++) {
        const char = chunk[i] ?? '';
        if (char === '\r' || char === '\n' || char === '\u0004') {
          typedAhead = chunk.slice(i + 1).replace(/^\n/, '');
          stdin.off('data', take);
          stdin.setRawMode(false);
          stdin.pause();
          stderr.write('\n');
          resolve(typed);
          return;
        }
        if (char === '\u0003') {
          stdin.setRawMode(false);
          stderr.write('\n');
          process.exit(130);
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on('data', take);
    if (typedAhead) {
      const ahead = typedAhead;
      typedAhead = '';
      take(ahead);
    }
  });
}

/** The first line of standard input, without its line ending. */
async function readFirstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/**
 * At a terminal: says the rule first, asks again while the password is too short, then asks to repeat it. From a
 * pipe: the first line, refused when too short (a script cannot answer a second question).
 */
async function readNewPassword(): Promise<string> {
  const rule = `at least ${MIN_PASSWORD} characters`;
  if (!process.stdin.isTTY) {
    const password = await readFirstLine();
    if (password.length < MIN_PASSWORD) {
      throw new UsageError(`The password needs ${rule}; nothing was changed.`);
    }
    return password;
  }
  process.stderr.write(`Choose a password of ${rule} (it is not shown as you type).\n`);
  for (;;) {
    const password = await promptHidden('Password: ');
    if (password.length < MIN_PASSWORD) {
      process.stderr.write(`That has ${password.length}; the password needs ${rule}. Try again.\n`);
      continue;
    }
    if ((await promptHidden('Again: ')) !== password) {
      throw new UsageError('The two passwords differ; nothing was changed.');
    }
    return password;
  }
}

function emailOption(value: string | undefined): string {
  if (!value) throw new UsageError('Give the account with --email, e.g. --email owner@example.com');
  if (!EMAIL.test(value)) throw new UsageError(`"${value}" does not look like an email address.`);
  return value.toLowerCase();
}

async function createAdmin(store: Store, email: string, name: string | undefined) {
  if (await store.findUserByEmail(email)) {
    throw new UsageError(`${email} already has an account; use admin reset-password to change its password.`);
  }
  const password = await readNewPassword();
  const now = Date.now();
  const iterations = configFromEnv(process.env).passwordIterations;
  await store.insertUser({
    id: newId(now),
    email,
    name: name?.trim() || (email.split('@')[0] ?? email),
    password_hash: await hashPassword(password, iterations),
    is_admin: 1,
    created_at: now,
  });
  console.log(`Created server owner ${email}. Sign in at /admin.`);
}

async function listAdmins(store: Store) {
  const admins = await store.listAdmins();
  if (admins.length === 0) {
    console.log('No server owners yet. Create one with: npm run parley -- admin create --email E');
    return;
  }
  for (const admin of admins) {
    const since = new Date(admin.created_at).toISOString().slice(0, 10);
    console.log(`${admin.email}\t${admin.name}\tsince ${since}`);
  }
}

async function resetPassword(store: Store, email: string) {
  const user = await store.findUserByEmail(email);
  if (!user) throw new UsageError(`No account has the email ${email}.`);
  const password = await readNewPassword();
  const iterations = configFromEnv(process.env).passwordIterations;
  await store.setPassword(user.id, await hashPassword(password, iterations));
  await store.deleteUserSessions(user.id);
  console.log(`Changed the password of ${email} and signed it out everywhere.`);
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'import' || argv[0] === 'export') return runPortableCommand(argv);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals.join(' ');
  if (values.help || command === '' || command === 'help') {
    process.stdout.write(HELP);
    return values.help || command === 'help' ? 0 : 1;
  }
  const known = ['admin create', 'admin list', 'admin reset-password'];
  if (!known.includes(command)) throw new UsageError(`Unknown command "${command}". See --help.`);
  // Checked before the database is opened, so a typo never creates an empty database file.
  const email = command === 'admin list' ? '' : emailOption(values.email);

  const store = kyselyStore(openDatabase(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL));
  try {
    await store.migrate();
    if (command === 'admin create') await createAdmin(store, email, values.name);
    else if (command === 'admin list') await listAdmins(store);
    else await resetPassword(store, email);
    return 0;
  } finally {
    await store.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const usage =
    error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(`parley: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = usage ? 1 : 2;
}
