import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, onFreePort } from '../tests/support/processes.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HEALTH_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const LOG_LINES_KEPT = 40;
const BUILT_ENTRY = 'dist/server/node.js';

export interface ServerOptions {
  databaseUrl: string;
  /** Extra Node flags for the server, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Extra environment variables for the server. */
  env?: Record<string, string>;
  /**
   * `built` runs `dist/server/node.js` as `npm start` does (build first); `source` runs the TypeScript through the
   * tsx loader, for tests that must not depend on a build.
   */
  code?: 'built' | 'source';
}

export interface BenchServer {
  origin: string;
  pid: number;
  /** The server's last lines of output, for error messages. */
  log(): string;
  /** Resident set size now, in KiB. */
  rssKib(): number;
  /** Peak resident set size (VmHWM) since start or since the last `resetPeak`, in KiB. */
  peakRssKib(): number;
  /** CPU time the server has used so far (user and system, all its threads), in milliseconds. */
  cpuMs(): number;
  /** Starts a new peak measurement; false when the kernel refuses (the peak then counts from start). */
  resetPeak(): boolean;
  /** Whether the process is still running. */
  alive(): boolean;
  stop(): Promise<void>;
  /** Ends the process with SIGKILL, as a crash or the OOM killer would, and resolves once it is gone. */
  kill(): Promise<void>;
}

export { freePort };

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  if (!match?.[1]) throw new Error(`No ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

// Clock ticks per second of /proc/<pid>/stat times: USER_HZ, 100 on every Linux architecture Node runs on.
const USER_HZ = 100;

export function cpuMs(pid: number): number {
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14th and 15th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/**
 * Starts the Node server as one child process (the build, or node with the tsx loader: not the tsx CLI, which would
 * put a second process between us and the server and make its memory figures the wrong process's). Resolves once
 * `/api/health` answers 200.
 */
export function startServer(options: ServerOptions): Promise<BenchServer> {
  return onFreePort((port) => startServerOn(port, options));
}

async function startServerOn(
  port: number,
  { databaseUrl, nodeFlags = [], env = {}, code = 'source' }: ServerOptions,
): Promise<BenchServer> {
  if (code === 'built' && !existsSync(join(ROOT, BUILT_ENTRY))) {
    throw new Error(`No ${BUILT_ENTRY}: run \`npm run build\` first`);
  }
  const entry = code === 'built' ? [BUILT_ENTRY] : ['--import', 'tsx', 'server/entries/node.ts'];
  const child = spawn(process.execPath, [...nodeFlags, ...entry], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      // The bench posts thousands of comments from one address; the write limit would answer 429 after ten.
      PARLEY_RATE_LIMIT_MAX: '1000000000',
      PARLEY_SECRET: 'bench-secret-not-for-production',
      ...env,
    },
  });
  const { pid } = child;
  if (pid === undefined) throw new Error('The server process did not start');

  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - LOG_LINES_KEPT));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const server: BenchServer = {
    origin: `http://127.0.0.1:${port}`,
    pid,
    log: () => lines.join('\n'),
    rssKib: () => statusField(pid, 'VmRSS'),
    peakRssKib: () => statusField(pid, 'VmHWM'),
    cpuMs: () => cpuMs(pid),
    resetPeak() {
      try {
        // "5" resets the peak RSS of the process (proc(5), clear_refs, Linux 4.0+).
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    alive: () => child.exitCode === null && child.signalCode === null,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited(child);
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const healthy = await fetch(`${server.origin}/api/health`, { signal: AbortSignal.timeout(1000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (healthy) return server;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const why =
    child.exitCode !== null
      ? `exited with code ${child.exitCode}`
      : `was not healthy within ${HEALTH_TIMEOUT_MS / 1000} s`;
  await server.stop();
  throw new Error(`The server ${why}:\n${server.log()}`);
}
