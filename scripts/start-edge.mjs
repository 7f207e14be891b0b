/*
 * `npm run start:edge`: Parley as a Cloudflare Worker on this machine. Runs `wrangler dev --local` (the workerd that
 * wrangler bundles; no account, nothing fetched) on 127.0.0.1:PORT with a local D1 kept under .wrangler/state, waits
 * until /api/health answers (the Worker migrates D1 on its first request), then prints the URL. Ctrl-C or SIGTERM
 * stops wrangler, which stops workerd.
 *
 * PARLEY_* settings in the environment reach the Worker as vars, except PARLEY_SECRET: it would show in the
 * process list, so it goes in .dev.vars (wrangler's file for local secrets). Without it the Worker makes one and
 * keeps it in D1, as the Node server does.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const port = Number(process.env.PORT ?? 8787);
const origin = `http://127.0.0.1:${port}`;

const vars = Object.entries(process.env)
  .filter(([name, value]) => name.startsWith('PARLEY_') && name !== 'PARLEY_SECRET' && value !== undefined)
  .flatMap(([name, value]) => ['--var', `${name}:${value}`]);
if (process.env.PARLEY_SECRET) {
  console.warn(
    '[parley] PARLEY_SECRET is not passed on the command line; put it in .dev.vars for the Worker.',
  );
}

const wrangler = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
const args = ['dev', '--local', '--ip=127.0.0.1', `--port=${port}`, '--show-interactive-dev-session=false'];
const child = spawn(process.execPath, [wrangler, ...args, ...vars], {
  stdio: ['ignore', 'inherit', 'inherit'],
  // Its own process group, so a Ctrl-C reaches wrangler once, from us, and not twice. (On Windows this would
  // open a console window of its own.)
  detached: process.platform !== 'win32',
  env: {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    // The banner checks npm for a newer wrangler; request.cf data would be downloaded from Cloudflare.
    WRANGLER_HIDE_BANNER: 'true',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  },
});

let stopping = false;
function stop() {
  if (!stopping) {
    stopping = true;
    child.kill('SIGTERM');
    return;
  }
  // A second Ctrl-C does not wait for a clean shutdown: it kills wrangler's whole process group, workerd too.
  if (process.platform === 'win32') child.kill('SIGKILL');
  else process.kill(-child.pid, 'SIGKILL');
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, stop);
child.on('exit', (code, signal) => process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0))));

async function healthy() {
  try {
    const res = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(2_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

const deadline = Date.now() + 60_000;
while (!stopping && child.exitCode === null) {
  if (await healthy()) {
    console.log(`[parley] listening on http://localhost:${port} on D1 (workerd, local); Ctrl-C to stop`);
    break;
  }
  if (Date.now() > deadline) {
    console.warn(
      `[parley] ${origin}/api/health still does not answer 200 after a minute; see wrangler's output.`,
    );
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
