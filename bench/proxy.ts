import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './server.ts';

export type ProxyKind = 'haproxy' | 'nginx';

export interface RunningProxy {
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

const BINARIES: Record<ProxyKind, string> = { haproxy: '/usr/sbin/haproxy', nginx: '/usr/sbin/nginx' };

/** Round robin over `backends`, keeping connections to them open, adding X-Forwarded-For; loopback only. */
function haproxyConfig(port: number, backends: number[]): string {
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  option forwardfor',
    '  http-reuse always',
    'frontend parley',
    `  bind 127.0.0.1:${port}`,
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    ...backends.map((backend, i) => `  server i${i} 127.0.0.1:${backend}`),
    '',
  ].join('\n');
}

function nginxConfig(dir: string, port: number, backends: number[]): string {
  return [
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${join(dir, 'body')};`,
    `  proxy_temp_path ${join(dir, 'proxy')};`,
    `  fastcgi_temp_path ${join(dir, 'fastcgi')};`,
    `  uwsgi_temp_path ${join(dir, 'uwsgi')};`,
    `  scgi_temp_path ${join(dir, 'scgi')};`,
    '  upstream instances {',
    ...backends.map((backend) => `    server 127.0.0.1:${backend};`),
    '    keepalive 64;',
    '  }',
    '  server {',
    `    listen 127.0.0.1:${port};`,
    '    location / {',
    '      proxy_pass http://instances;',
    '      proxy_http_version 1.1;',
    '      proxy_set_header Connection "";',
    '      proxy_set_header Host $host;',
    '      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

async function listening(origin: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const up = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(1000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The proxy did not pass /api/health through within 10 s:\n${output()}`);
}

/**
 * HAProxy or nginx in the foreground on a free loopback port, with a configuration of its own in `dir`, spreading
 * requests over the `backends` ports; resolves once a health check passes through it. Stopped by its PID.
 */
export async function startProxy(kind: ProxyKind, dir: string, backends: number[]): Promise<RunningProxy> {
  const port = await freePort();
  const file = join(dir, `${kind}.conf`);
  writeFileSync(file, kind === 'haproxy' ? haproxyConfig(port, backends) : nginxConfig(dir, port, backends));
  const args =
    kind === 'haproxy' ? ['-db', '-f', file] : ['-p', dir, '-c', file, '-e', join(dir, 'error.log')];
  const child = spawn(BINARIES[kind], args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const { pid } = child;
  if (pid === undefined) throw new Error(`${kind} did not start`);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proxy: RunningProxy = {
    origin: `http://127.0.0.1:${port}`,
    pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await listening(proxy.origin, child, () => output);
  } catch (error) {
    await proxy.stop();
    throw error;
  }
  return proxy;
}
