import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onFreePort } from '../support/processes.ts';
import { suiteAvailability } from '../support/suites.ts';

/** Where the browser suite looks for Chromium; Playwright drives the system build, it downloads nothing. */
export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

/** Whether the browser suites run: skipped with a hint without Chromium (fatal under PARLEY_REQUIRE_ALL). */
export const chromiumAvailable = suiteAvailability(
  'browser',
  existsSync(CHROMIUM),
  `Chromium not found at ${CHROMIUM}`,
  'install it (apt-get install chromium) or set PARLEY_CHROMIUM',
);

export const LAUNCH_OPTIONS = {
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
};

export interface Running {
  origin: string;
  stop(): Promise<void>;
}

export interface ParleyServer extends Running {
  /** The server's database, for the command line (`admin create`) and for seeding. */
  databaseUrl: string;
}

interface Launched {
  origin: string;
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

function launch(port: number, databaseUrl: string, env: Record<string, string> = {}): Launched {
  const child: ChildProcess = spawn('node_modules/.bin/tsx', ['server/entries/node.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      PARLEY_RATE_LIMIT_MAX: '1000',
      PARLEY_PREVIEW_LIMIT_MAX: '1000',
      PARLEY_OWN_LIMIT_MAX: '1000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that stopping it also stops the node process tsx starts.
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { origin: `http://127.0.0.1:${port}`, child, exited, output: () => output };
}

/** Undefined once the server answers /api/health; else why it never will. */
async function untilHealthy({ origin, child, output }: Launched): Promise<string | undefined> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) return `The Parley server exited:\n${output()}`;
    const healthy = await fetch(`${origin}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return undefined;
    if (Date.now() > deadline) return `The Parley server did not answer /api/health in 30 s:\n${output()}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The real Node server as a child process, on a fresh SQLite file (or on `databaseUrl`, seeded beforehand), with
 * rate limits high enough for a test run (unless `env` says otherwise). Builds the widget first when `dist/embed.js` is missing.
 */
export async function startParley(
  options: { databaseUrl?: string; env?: Record<string, string> } = {},
): Promise<ParleyServer> {
  if (!existsSync('dist/embed.js')) {
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error']);
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-browser-'));
  const databaseUrl = options.databaseUrl ?? `file:${join(dir, 'parley.db')}`;
  const { origin, child, exited } = await onFreePort(async (port) => {
    const launched = launch(port, databaseUrl, options.env);
    const failure = await untilHealthy(launched);
    if (failure === undefined) return launched;
    const { pid, exitCode } = launched.child;
    if (pid && exitCode === null) process.kill(-pid, 'SIGKILL');
    throw new Error(failure);
  });

  return {
    origin,
    databaseUrl,
    async stop() {
      if (child.pid && child.exitCode === null) {
        process.kill(-child.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A tiny blog on another origin. Every `/posts/<slug>` is a post that embeds the widget from `parleyOrigin`;
 * query parameters become the script's `data-*` options (`?limit=3&theme=dark`). A global flag lets tests notice
 * script that should never have run.
 */
export async function startBlog(parleyOrigin: string): Promise<Running> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://blog.test');
    if (!url.pathname.startsWith('/posts/')) {
      response.writeHead(404).end();
      return;
    }
    const options = [...url.searchParams]
      .map(([name, value]) => ` data-${name.replace(/[^a-z-]/g, '')}="${value.replace(/[^\w-]/g, '')}"`)
      .join('');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Notes on mending things</title>
    <script>window.__pwned = false;</script>
  </head>
  <body>
    <a href="/posts/">All posts</a>
    <main>
      <h1>Notes on mending things</h1>
      <p>Most broken things are broken in one place. The rest is waiting for you to find it.</p>
      <section id="comments">
        <script src="${parleyOrigin}/embed.js" async${options}></script>
      </section>
    </main>
  </body>
</html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
