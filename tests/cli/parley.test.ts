import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { CliIo } from '../../server/cli/io.ts';
import { runCli } from '../../server/cli/run.ts';
import { configFromEnv } from '../../server/config.ts';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Store } from '../../server/store/store.ts';
import type { SessionView } from '../../shared/admin-schemas.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'server/cli/parley.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a real process, as `npm run parley --` starts it, with `input` piped to standard input. */
function parley(args: string[], env: Record<string, string>, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/**
 * The CLI in process, with what a pipe would give it: `input`'s first line as the password. Its argument handling
 * and commands are the ones the real process runs (server/cli/parley.ts only wires them to the process).
 */
async function run(args: string[], env: Record<string, string>, input = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: { ...process.env, ...env },
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    newPassword: async () => input.split(/\r?\n/)[0] ?? '',
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe('parley CLI', () => {
  let dir: string;
  let env: Record<string, string>;
  let store: Store | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    env = { DATABASE_URL: `file:${join(dir, 'parley.db')}`, PARLEY_PASSWORD_ITERATIONS: '1000' };
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The server's app over the same database file, as `npm start` would run it (no bootstrap owner). */
  function app() {
    store ??= kyselyStore(openDatabase(env.DATABASE_URL));
    return createApp({ store, config: configFromEnv({ PARLEY_SECRET: 'cli-test' }), logError: () => {} });
  }

  const signIn = (email: string, password: string) =>
    app().request('/admin/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  it('prints help with exit status 0, and refuses unknown commands, options and emails with 1', async () => {
    const [help, unknown, option, bare, noEmail, badEmail] = await Promise.all([
      run(['--help'], env),
      run(['admin', 'delete'], env),
      run(['admin', 'list', '--verbose'], env),
      run([], env),
      run(['admin', 'create'], env, 'long enough password\n'),
      run(['admin', 'create', '--email', 'not-an-email'], env),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/admin create --email E/);
    expect(unknown).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/Unknown command "admin delete"/),
    });
    expect(option.code).toBe(1);
    expect(bare.code).toBe(1);
    expect(noEmail).toMatchObject({ code: 1, stderr: expect.stringMatching(/--email/) });
    expect(badEmail.code).toBe(1);
    // A mistake on the command line never leaves an empty database behind.
    expect(existsSync(join(dir, 'parley.db'))).toBe(false);
  });

  it('refuses a password under 10 characters, or none, creating nothing', async () => {
    const short = await run(['admin', 'create', '--email', 'owner@example.test'], env, 'short\n');
    expect(short).toMatchObject({ code: 1, stderr: expect.stringMatching(/at least 10 characters/) });
    expect((await run(['admin', 'create', '--email', 'owner@example.test'], env, '')).code).toBe(1);
    const list = await run(['admin', 'list'], env);
    expect(list).toMatchObject({ code: 0, stdout: expect.stringMatching(/No server owners yet/) });
  });

  it('creates a server owner from a password on standard input, who can then sign in', async () => {
    // The one real process of this suite: `npm run parley --` as it starts, with the password piped in.
    const created = await parley(
      ['admin', 'create', '--email', 'Owner@Example.test', '--name', 'Ada Owner'],
      env,
      'correct horse battery staple\nignored second line\n',
    );
    expect(created, created.stderr).toMatchObject({ code: 0 });
    expect(created.stdout).toMatch(/Created server owner owner@example\.test/);

    const list = await run(['admin', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^owner@example\.test\tAda Owner\tsince \d{4}-\d{2}-\d{2}$/m);

    const res = await signIn('owner@example.test', 'correct horse battery staple');
    expect(res.status).toBe(200);
    const session = (await res.json()) as SessionView;
    expect(session.user).toMatchObject({ email: 'owner@example.test', name: 'Ada Owner', isAdmin: true });
    const setup = await app().request('/admin/api/setup');
    expect(await setup.json()).toEqual({ hasOwner: true });
  });

  it('backs up and restores the SQLite database, and says to use pg_dump on PostgreSQL', async () => {
    const copy = join(dir, 'backup.db');
    const backup = await run(['backup', copy], env);
    expect(backup, backup.stderr).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Backed up .* to /),
    });
    expect(existsSync(copy)).toBe(true);
    expect((await run(['backup', copy], env)).stderr).toMatch(/exists already/);
    const restored = { ...env, DATABASE_URL: `file:${join(dir, 'restored.db')}` };
    const restore = await run(['restore', copy], restored);
    expect(restore, restore.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Restored /) });
    expect((await run(['admin', 'list'], restored)).stdout).toMatch(/^owner@example\.test\t/m);
    const pg = await run(['backup', join(dir, 'pg.db')], {
      DATABASE_URL: 'postgres://parley@127.0.0.1/none',
    });
    expect(pg).toMatchObject({ code: 1, stderr: expect.stringMatching(/pg_dump/) });
    expect((await run(['backup'], env)).code).toBe(1);
  });

  it('refuses to create a second account with the same email', async () => {
    const again = await run(['admin', 'create', '--email', 'owner@example.test'], env, 'another password\n');
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/already has an account/) });
  });

  it('resets a password, signing the account out everywhere', async () => {
    const before = await signIn('owner@example.test', 'correct horse battery staple');
    const cookie = (before.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const reset = await run(
      ['admin', 'reset-password', '--email', 'owner@example.test'],
      env,
      'a new password!\n',
    );
    expect(reset, reset.stderr).toMatchObject({ code: 0 });

    expect((await app().request('/admin/api/session', { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await signIn('owner@example.test', 'correct horse battery staple')).status).toBe(401);
    expect((await signIn('owner@example.test', 'a new password!')).status).toBe(200);
    const unknown = await run(
      ['admin', 'reset-password', '--email', 'nobody@example.test'],
      env,
      'whatever123\n',
    );
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringMatching(/No account/) });
  });
});

/**
 * The CLI at a terminal: run inside a pseudo-terminal (util-linux `script`), typing each answer once its prompt
 * is on screen. Resolves with everything the terminal showed.
 */
function parleyAtTerminal(args: string[], env: Record<string, string>, answers: Record<string, string[]>) {
  const command = [process.execPath, '--import', 'tsx', CLI, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise<Run>((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    const asked = new Map<string, number>();
    const timer = setTimeout(() => child.kill(), 60_000);
    child.stdout.on('data', (chunk) => {
      screen += String(chunk);
      for (const [prompt, lines] of Object.entries(answers)) {
        const times = screen.split(prompt).length - 1;
        while ((asked.get(prompt) ?? 0) < times) {
          const line = lines[asked.get(prompt) ?? 0];
          asked.set(prompt, (asked.get(prompt) ?? 0) + 1);
          if (line !== undefined) child.stdin.write(`${line}\r`);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: screen, stderr: '' });
    });
  });
}

describe.runIf(existsSync('/usr/bin/script'))('parley CLI at a terminal', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-cli-tty-'));
    env = { DATABASE_URL: `file:${join(dir, 'parley.db')}`, PARLEY_PASSWORD_ITERATIONS: '1000' };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says the password rule before asking, and asks again when the password is too short', async () => {
    const run = await parleyAtTerminal(['admin', 'create', '--email', 'tty@example.test'], env, {
      'Password: ': ['short', 'long enough password'],
      'Again: ': ['long enough password'],
    });
    expect(run, run.stdout).toMatchObject({ code: 0 });
    const rule = run.stdout.indexOf('at least 10 characters');
    expect(rule).toBeGreaterThanOrEqual(0);
    expect(rule).toBeLessThan(run.stdout.indexOf('Password: '));
    expect(run.stdout.split('Password: ')).toHaveLength(3);
    expect(run.stdout).toMatch(/Try again/);
    expect(run.stdout).not.toContain('long enough password');
    expect(run.stdout).toMatch(/Created server owner tty@example\.test/);
    const list = await parley(['admin', 'list'], env);
    expect(list.stdout).toMatch(/^tty@example\.test\t/m);
  }, 90_000);
});
