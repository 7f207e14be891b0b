/*
 * The per-request floor of Parley's reads: `npm run build && npx tsx bench/floor.ts [options]`.
 *
 * Starts the built server on a fresh SQLite file, seeds the 200-comment thread through the API, records Parley's
 * answers to the reads a page makes (the whole thread, the widget's first page of 50, a revalidation answered 304,
 * and compressed variants), then starts Hono on @hono/node-server answering those very bytes from memory
 * (bench/fixed-body-server.ts). wrk runs against both, one scenario after the other in the same run, and the table
 * gives Parley's rate as a share of the fixed-body rate: what Parley's own work per request (routing, validation,
 * the thread lookup, headers) costs beyond HTTP itself. Compressed variants are fair: both sides send bytes
 * compressed beforehand. Every process is bounded in time and stopped by its PID.
 *
 *   --duration S     seconds per measured run (default 10), after --warmup S (default 2) not counted
 *   --connections N  wrk connections (default 32); --threads N wrk threads (default 1)
 *   --only LIST      some of the scenario names below (default all)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { FixedAnswer } from './fixed-body-server.ts';
import { loadBefore, machineInfo, revision } from './report.ts';
import { seedThread } from './seed.ts';
import { type BenchServer, cpuMs, freePort, startServer } from './server.ts';
import { runWrk, type WrkResult } from './wrk.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const THREAD_URL = 'https://blog.example.com/posts/one-sqlite-file/';
const threadPath = (limit: number) => `/api/comments?url=${encodeURIComponent(THREAD_URL)}&limit=${limit}`;
const TARGET_SHARE = 0.5;

interface Scenario {
  name: string;
  label: string;
  path: string;
  headers: Record<string, string>;
  /** Sends the ETag Parley answered with back, to be answered 304. */
  revalidate?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'whole', label: 'whole thread (200 comments)', path: threadPath(200), headers: {} },
  { name: 'page', label: 'first page (50)', path: threadPath(50), headers: {} },
  {
    name: '304',
    label: 'first page, If-None-Match (304)',
    path: threadPath(50),
    headers: {},
    revalidate: true,
  },
  {
    name: 'whole-br',
    label: 'whole thread, br',
    path: threadPath(200),
    headers: { 'Accept-Encoding': 'br' },
  },
  { name: 'page-br', label: 'first page, br', path: threadPath(50), headers: { 'Accept-Encoding': 'br' } },
  {
    name: 'page-gzip',
    label: 'first page, gzip',
    path: threadPath(50),
    headers: { 'Accept-Encoding': 'gzip' },
  },
];

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    threads: { type: 'string', default: '1' },
    only: { type: 'string', default: SCENARIOS.map((s) => s.name).join(',') },
  },
});
const durationS = Number(args.duration);
const warmupS = Number(args.warmup);
const connections = Number(args.connections);
const threads = Number(args.threads);
const only = new Set(args.only.split(','));
if (
  !(durationS > 0 && durationS <= 60) ||
  !(warmupS >= 0 && warmupS <= 30) ||
  !(connections > 0) ||
  !(threads > 0)
) {
  throw new Error('--duration must be 1–60 s, --warmup 0–30 s, --connections and --threads positive');
}
const chosen = SCENARIOS.filter((s) => only.has(s.name));
if (chosen.length !== only.size) {
  throw new Error(`--only takes some of ${SCENARIOS.map((s) => s.name).join(',')}`);
}

/** The answer as it went over the wire: status, headers and the body's bytes, not decompressed. */
function rawGet(origin: string, path: string, headers: Record<string, string>): Promise<FixedAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const kept: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          // Node writes these itself on both sides.
          if (['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name))
            continue;
          if (typeof value === 'string') kept[name] = value;
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: kept,
          body: Buffer.concat(chunks).toString('base64'),
        });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

interface Running {
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

/** The fixed-body Hono server, as a child process of its own, like Parley. */
async function startFixed(answersFile: string): Promise<Running> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/fixed-body-server.ts', answersFile],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    },
  );
  const { pid } = child;
  if (pid === undefined) throw new Error('The fixed-body server did not start');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('The fixed-body server did not listen within 20 s')),
      20_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`The fixed-body server exited with ${code}`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => process.kill(pid, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

interface Side extends WrkResult {
  cpuUsPerRequest: number;
}

async function measure(
  origin: string,
  pid: number,
  path: string,
  headers: Record<string, string>,
): Promise<Side> {
  const options = { url: origin + path, headers, threads, connections };
  if (warmupS > 0) await runWrk({ ...options, durationS: warmupS });
  const before = cpuMs(pid);
  const result = await runWrk({ ...options, durationS });
  return { ...result, cpuUsPerRequest: ((cpuMs(pid) - before) * 1000) / Math.max(1, result.requests) };
}

const running: Array<Running | BenchServer> = [];
const cleanups: Array<() => void> = [];
async function cleanUp() {
  for (const server of running.splice(0).reverse()) await server.stop().catch(() => {});
  for (const cleanup of cleanups.splice(0)) cleanup();
}
function bail(code: number) {
  void cleanUp().finally(() => process.exit(code));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => bail(130));
setTimeout(
  () => {
    console.error('[floor] still running long after it should have ended; stopping');
    bail(1);
  },
  (chosen.length * 2 * (warmupS + durationS + 12) + 180) * 1000,
).unref();

const int = (value: number) => Math.round(value).toLocaleString('en-US');

async function main(): Promise<number> {
  const load = loadBefore();
  const dir = mkdtempSync(join(tmpdir(), 'parley-floor-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const parley = await startServer({ databaseUrl: `file:${join(dir, 'parley.db')}`, code: 'built' });
  running.push(parley);
  console.log(`[floor] Parley pid ${parley.pid} on ${parley.origin}; seeding…`);
  await seedThread(parley.origin, THREAD_URL);

  const answers: Record<string, FixedAnswer> = {};
  const sent: Record<string, Record<string, string>> = {};
  for (const scenario of chosen) {
    const headers = { ...scenario.headers };
    if (scenario.revalidate) {
      const etag = (await rawGet(parley.origin, scenario.path, {})).headers.etag;
      if (!etag) throw new Error('Parley sent no ETag');
      headers['If-None-Match'] = etag;
    }
    const answer = await rawGet(parley.origin, scenario.path, headers);
    const expected = scenario.revalidate ? 304 : 200;
    if (answer.status !== expected) throw new Error(`${scenario.name}: Parley answered ${answer.status}`);
    const encoding = headers['Accept-Encoding'];
    if (encoding && answer.headers['content-encoding'] !== encoding) {
      throw new Error(`${scenario.name}: Parley answered without Content-Encoding ${encoding}`);
    }
    answers[scenario.name] = answer;
    sent[scenario.name] = headers;
  }
  const answersFile = join(dir, 'answers.json');
  writeFileSync(answersFile, JSON.stringify(answers));
  const fixed = await startFixed(answersFile);
  running.push(fixed);
  console.log(`[floor] fixed-body Hono pid ${fixed.pid} on ${fixed.origin}`);

  const rows: string[] = [];
  let failures = 0;
  let allMet = true;
  for (const scenario of chosen) {
    const headers = sent[scenario.name] ?? {};
    console.log(`[floor] ${scenario.name}: Parley, then Hono, ${durationS} s each…`);
    const ours = await measure(parley.origin, parley.pid, scenario.path, headers);
    const floor = await measure(fixed.origin, fixed.pid, `/${scenario.name}`, headers);
    failures += ours.failures + floor.failures;
    const share = ours.reqPerSec / floor.reqPerSec;
    // What the rate would be if the server's CPU were all that limited it: steadier on a busy machine.
    const cpuShare = floor.cpuUsPerRequest / ours.cpuUsPerRequest;
    const met = share >= TARGET_SHARE;
    allMet &&= met;
    const bodyBytes = Buffer.from(answers[scenario.name]?.body ?? '', 'base64').byteLength;
    rows.push(
      `| ${scenario.label} | ${int(bodyBytes)} | ${int(ours.bytesPerRequest)} / ${int(floor.bytesPerRequest)} | ` +
        `${int(ours.reqPerSec)} | ${int(floor.reqPerSec)} | **${Math.round(share * 100)} %** ${met ? '✅' : '❌'} | ` +
        `${Math.round(cpuShare * 100)} % | ` +
        `${ours.p99Ms.toFixed(1)} / ${floor.p99Ms.toFixed(1)} | ${int(ours.cpuUsPerRequest)} / ${int(floor.cpuUsPerRequest)} | ` +
        `${ours.failures + floor.failures} |`,
    );
  }
  const rev = revision(ROOT);
  console.log(
    [
      '',
      '### Per-request floor: Parley against Hono answering the same bytes',
      '',
      `- Machine: ${machineInfo()}; wrk (${threads} thread, ${connections} connections, ${durationS} s after ${warmupS} s of ` +
        `warm-up) on the same cores; load average ${load} before the run`,
      ...(rev ? [`- Code: commit ${rev}, built server (\`dist/server/node.js\`) on SQLite`] : []),
      "- Hono: `@hono/node-server` answering Parley's own status, headers and body from memory",
      '- Hono CPU ÷ Parley CPU: the share the rates would show if server CPU alone limited them; on a busy machine ' +
        'it moves less than the rates do',
      '',
      '| Read | body bytes | bytes/req Parley / Hono | Parley req/s | Hono req/s | Parley ÷ Hono (target ≥ 50 %) | Hono CPU ÷ Parley CPU | p99 ms Parley / Hono | server CPU µs/req Parley / Hono | failures |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
    ].join('\n'),
  );
  if (failures > 0) {
    console.error(`[floor] ${failures} requests failed (status outside 2xx/3xx, socket errors, timeouts)`);
    return 1;
  }
  return allMet ? 0 : 2;
}

main().then(
  (code) => bail(code),
  (error: unknown) => {
    console.error('[floor]', error instanceof Error ? error.message : error);
    bail(1);
  },
);
