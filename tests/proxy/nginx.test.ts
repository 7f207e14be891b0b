import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParleyServer, startParley } from '../browser/harness.ts';
import { freePort } from '../support/processes.ts';
import { suiteAvailability } from '../support/suites.ts';

const NGINX =
  process.env.PARLEY_NGINX ?? ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

const nginxAvailable = suiteAvailability(
  'nginx proxy',
  NGINX !== undefined,
  'no nginx binary was found',
  'install nginx (Debian: apt-get install nginx) or point PARLEY_NGINX at one',
);

/** nginx in the foreground on `port`, passing everything to `upstream` as the README's configuration does. */
function startNginx(port: number, upstream: string) {
  const prefix = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  const config = join(prefix, 'nginx.conf');
  writeFileSync(
    config,
    `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log stderr error;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass ${upstream};
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`,
  );
  execFileSync(NGINX as string, ['-t', '-q', '-p', prefix, '-c', config], { stdio: 'pipe' });
  const child: ChildProcess = spawn(NGINX as string, ['-p', prefix, '-c', config], { stdio: 'ignore' });
  return {
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

async function waitFor(url: string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not answer in 10 s`);
}

/** Posts a comment through `origin`, claiming to come from `spoofed` in the header a client controls. */
const post = (origin: string, spoofed: string) =>
  fetch(`${origin}/api/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': spoofed },
    body: JSON.stringify({ url: 'https://blog.example/proxied', name: 'Mallory', body: `From ${spoofed}` }),
  });

describe.runIf(nginxAvailable)('behind a real nginx hop', () => {
  let parley: ParleyServer;
  let proxy: { stop(): Promise<void> };
  let proxied: string;

  beforeAll(async () => {
    parley = await startParley({ env: { PARLEY_TRUST_PROXY: '1', PARLEY_RATE_LIMIT_MAX: '3' } });
    const port = await freePort();
    proxy = startNginx(port, parley.origin);
    proxied = `http://127.0.0.1:${port}`;
    await waitFor(`${proxied}/api/health`);
  });

  afterAll(async () => {
    await proxy?.stop();
    await parley?.stop();
  });

  it('limits a client that writes a new X-Forwarded-For on every request as one client', async () => {
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      statuses.push((await post(proxied, `203.0.113.${attempt}`)).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
  });
});
