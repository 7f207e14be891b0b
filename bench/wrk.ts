import { spawn } from 'node:child_process';

/** What one wrk run measured. */
export interface WrkResult {
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Bytes read per response, headers included. */
  bytesPerRequest: number;
  /** Answers outside 2xx and 3xx, plus socket errors and timeouts. */
  failures: number;
}

export interface WrkOptions {
  url: string;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  /** A Lua script for wrk (`-s`), for requests that differ from one another. */
  script?: string;
  threads: number;
  connections: number;
  durationS: number;
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
const SIZES: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

function ms(text: string | undefined): number {
  const match = text?.match(/^([\d.]+)(us|ms|s|m)$/);
  return match ? Number(match[1]) * (UNITS[match[2] ?? 'ms'] ?? 1) : Number.NaN;
}

/** Reads wrk 4's summary (with `--latency`). */
export function parseWrk(output: string): WrkResult {
  const total = output.match(/(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read/);
  if (!total) throw new Error(`wrk printed no summary:\n${output}`);
  const requests = Number(total[1]);
  const bytes = Number(total[2]) * (SIZES[total[3] ?? 'B'] ?? 1);
  const sockets = output.match(/connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const socketErrors = sockets ? sockets.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requests,
    reqPerSec: Number(output.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? Number.NaN),
    p50Ms: ms(output.match(/^\s+50%\s+(\S+)/m)?.[1]),
    p99Ms: ms(output.match(/^\s+99%\s+(\S+)/m)?.[1]),
    bytesPerRequest: bytes / Math.max(1, requests),
    failures: Number(output.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0) + socketErrors,
  };
}

/**
 * One wrk run, bounded: wrk stops itself after the duration, and is killed by its PID if it has not a few seconds
 * later.
 */
export function runWrk({
  url,
  headers = {},
  script,
  threads,
  connections,
  durationS,
}: WrkOptions): Promise<WrkResult> {
  const args = ['-t', String(threads), '-c', String(connections), '-d', `${durationS}s`, '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  if (script) args.push('-s', script);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (durationS + 10) * 1000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`wrk could not start (${error.message}); install it (Debian: apt-get install wrk)`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`wrk exited with ${code}:\n${output}`));
      try {
        resolve(parseWrk(output));
      } catch (error) {
        reject(error);
      }
    });
  });
}
