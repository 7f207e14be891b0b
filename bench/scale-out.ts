/*
 * Scale-out on PostgreSQL: `npm run build && npx tsx bench/scale-out.ts [options]`.
 *
 * For each instance count (1 and 3 by default), starts that many built Node servers (`dist/server/node.js`) on one
 * PostgreSQL schema of the bench's own, puts HAProxy (or nginx) in front of them with a configuration written to a
 * temporary folder, all on 127.0.0.1, and measures through the proxy with wrk: reads (the widget's first page of
 * 50 of the seeded 200-comment thread) and writes (new comments). Then the staleness bound: a comment posted
 * through one instance, polled through every other until each shows it; the slowest of them, over several trials.
 * Whatever the code holds decides the bound (a version read from the database per request; a change feed, if
 * there is one). Every process is bounded in time and stopped by its PID; the schema is dropped at the end.
 *
 *   --instances LIST  instance counts to measure (default 1,3)
 *   --proxy NAME      haproxy (default) or nginx
 *   --duration S      seconds per measured run (default 8), after --warmup S (default 2)
 *   --connections N   wrk connections (default 32)
 *   --trials N        staleness trials per instance count (default 20)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_PG_URL, freshPgSchema, pgVersion } from './postgres.ts';
import { type ProxyKind, type RunningProxy, startProxy } from './proxy.ts';
import { loadBefore, machineInfo, revision } from './report.ts';
import { postComment, seedThread, writeBodies } from './seed.ts';
import { type BenchServer, cpuMs, startServer } from './server.ts';
import { runWrk, type WrkResult } from './wrk.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const THREAD_URL = 'https://blog.example.com/posts/one-sqlite-file/';
const WRITE_URL = 'https://blog.example.com/posts/bench-writes/';
const STALE_URL = 'https://blog.example.com/posts/staleness/';
const READ_PATH = `/api/comments?url=${encodeURIComponent(THREAD_URL)}&limit=50`;
const NEWEST_PATH = `/api/comments?url=${encodeURIComponent(STALE_URL)}&sort=newest&limit=1`;
const STALE_GIVE_UP_MS = 5_000;

const { values: args } = parseArgs({
  options: {
    instances: { type: 'string', default: '1,3' },
    proxy: { type: 'string', default: 'haproxy' },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    trials: { type: 'string', default: '20' },
  },
});
const counts = args.instances.split(',').map(Number);
const proxyKind = args.proxy as ProxyKind;
const durationS = Number(args.duration);
const warmupS = Number(args.warmup);
const connections = Number(args.connections);
const trials = Number(args.trials);
if (!counts.every((n) => Number.isInteger(n) && n >= 1 && n <= 8))
  throw new Error('--instances takes 1–8 each');
if (!['haproxy', 'nginx'].includes(proxyKind)) throw new Error('--proxy is haproxy or nginx');
if (
  !(durationS > 0 && durationS <= 60) ||
  !(warmupS >= 0 && warmupS <= 30) ||
  !(trials >= 1 && trials <= 200)
) {
  throw new Error('--duration 1–60 s, --warmup 0–30 s, --trials 1–200');
}

const running: Array<BenchServer | RunningProxy> = [];
const cleanups: Array<() => Promise<void> | void> = [];
async function stopAll() {
  for (const process of running.splice(0).reverse()) await process.stop().catch(() => {});
}
async function cleanUp() {
  await stopAll();
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => {});
}
function bail(code: number) {
  void cleanUp().finally(() => process.exit(code));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => bail(130));
setTimeout(
  () => {
    console.error('[scale-out] still running long after it should have ended; stopping');
    bail(1);
  },
  (counts.length * (4 * (warmupS + durationS + 12) + trials * 6 + 60) + 120) * 1000,
).unref();

/** A wrk script posting comments with a few different bodies. */
function postScript(dir: string): string {
  const bodies = writeBodies(8).map((body, i) =>
    JSON.stringify({ url: WRITE_URL, name: `Reader ${i}`, body }).replaceAll(']==]', ''),
  );
  const file = join(dir, 'post.lua');
  writeFileSync(
    file,
    [
      'wrk.method = "POST"',
      'wrk.headers["Content-Type"] = "application/json"',
      `local bodies = { ${bodies.map((body) => `[==[${body}]==]`).join(', ')} }`,
      'local i = 0',
      'request = function()',
      '  i = i + 1',
      '  return wrk.format(nil, nil, nil, bodies[(i % #bodies) + 1])',
      'end',
      '',
    ].join('\n'),
  );
  return file;
}

interface Load extends WrkResult {
  /** CPU of all instances together, per request; and of the proxy. */
  serverCpuUs: number;
  proxyCpuUs: number;
}

async function load(
  servers: BenchServer[],
  proxy: RunningProxy,
  options: { path: string; script?: string },
): Promise<Load> {
  const base = { url: proxy.origin + options.path, script: options.script, threads: 1, connections };
  if (warmupS > 0) await runWrk({ ...base, durationS: warmupS });
  const serversBefore = servers.reduce((sum, server) => sum + server.cpuMs(), 0);
  const proxyBefore = cpuMs(proxy.pid);
  const result = await runWrk({ ...base, durationS });
  const per = (ms: number) => (ms * 1000) / Math.max(1, result.requests);
  return {
    ...result,
    serverCpuUs: per(servers.reduce((sum, server) => sum + server.cpuMs(), 0) - serversBefore),
    proxyCpuUs: per(cpuMs(proxy.pid) - proxyBefore),
  };
}

/** Milliseconds until `origin` shows `id` as the newest comment of the staleness thread. */
async function visibleAfter(origin: string, id: string, since: number): Promise<number> {
  while (performance.now() - since < STALE_GIVE_UP_MS) {
    const res = await fetch(origin + NEWEST_PATH, { signal: AbortSignal.timeout(2000) });
    const page = (await res.json()) as { comments?: Array<{ id: string }> };
    if (page.comments?.[0]?.id === id) return performance.now() - since;
  }
  return Number.POSITIVE_INFINITY;
}

/** The slowest reader of each trial: a comment posted to one instance, read back through all the others. */
async function staleness(servers: BenchServer[]): Promise<number[]> {
  const worst: number[] = [];
  for (let trial = 0; trial < trials; trial++) {
    const writer = servers[trial % servers.length] as BenchServer;
    const readers = servers.length === 1 ? servers : servers.filter((server) => server !== writer);
    // Each reader has the thread's current page in its cache, as a busy instance would.
    await Promise.all(
      readers.map((reader) => fetch(reader.origin + NEWEST_PATH).then((res) => res.arrayBuffer())),
    );
    const { id } = await postComment(writer.origin, {
      url: STALE_URL,
      body: `Trial ${trial}: posted here, read there.`,
    });
    const since = performance.now();
    const delays = await Promise.all(readers.map((reader) => visibleAfter(reader.origin, id, since)));
    worst.push(Math.max(...delays));
  }
  return worst.sort((a, b) => a - b);
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : `> ${STALE_GIVE_UP_MS}`);

async function main(): Promise<number> {
  const loadAverage = loadBefore();
  const adminUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL;
  const engine = await pgVersion(adminUrl);
  const dir = mkdtempSync(join(tmpdir(), 'parley-scale-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const script = postScript(dir);
  const rows: string[] = [];
  let failures = 0;

  for (const count of counts) {
    const schema = await freshPgSchema(adminUrl, `parley_scale_${process.pid}`);
    cleanups.push(schema.drop);
    const servers: BenchServer[] = [];
    for (let i = 0; i < count; i++) {
      const server = await startServer({
        databaseUrl: schema.url,
        code: 'built',
        // The proxy is the one hop in front; every request comes from one address, which must not be limited.
        env: { PARLEY_TRUST_PROXY: '1' },
      });
      servers.push(server);
      running.push(server);
    }
    const proxy = await startProxy(
      proxyKind,
      dir,
      servers.map((server) => Number(new URL(server.origin).port)),
    );
    running.push(proxy);
    console.log(
      `[scale-out] ${count} instance(s) (pids ${servers.map((s) => s.pid).join(', ')}) behind ${proxyKind} ` +
        `(pid ${proxy.pid}) on ${engine}; seeding…`,
    );
    await seedThread(proxy.origin, THREAD_URL);

    console.log(
      `[scale-out] ${count}: reads, writes (${durationS} s each), then ${trials} staleness trials…`,
    );
    const reads = await load(servers, proxy, { path: READ_PATH });
    const writes = await load(servers, proxy, { path: '/api/comments', script });
    const stale = await staleness(servers);
    failures += reads.failures + writes.failures;
    const median = stale[Math.floor(stale.length / 2)] ?? Number.NaN;
    const max = stale.at(-1) ?? Number.NaN;
    rows.push(
      `| ${count} | ${int(reads.reqPerSec)} | ${reads.p99Ms.toFixed(1)} | ${int(reads.serverCpuUs)} + ${int(reads.proxyCpuUs)} | ` +
        `${int(writes.reqPerSec)} | ${writes.p99Ms.toFixed(1)} | ${int(writes.serverCpuUs)} + ${int(writes.proxyCpuUs)} | ` +
        `${ms(median)} / ${ms(max)} | ${reads.failures + writes.failures} |`,
    );
    await stopAll();
    await schema.drop();
  }

  const rev = revision(ROOT);
  console.log(
    [
      '',
      `### Scale-out on ${engine}: Node instances behind ${proxyKind}`,
      '',
      `- Machine: ${machineInfo()}; PostgreSQL, ${proxyKind}, every instance and wrk (1 thread, ${connections} ` +
        `connections, ${durationS} s after ${warmupS} s of warm-up) share its cores; load average ${loadAverage} before the run`,
      ...(rev ? [`- Code: commit ${rev}, built server (\`dist/server/node.js\`)`] : []),
      '- Reads: the first page of 50 of a 200-comment thread, plain JSON; writes: new top-level comments on one page',
      `- Staleness: a comment posted to one instance, then the others polled until each shows it (${trials} trials; ` +
        'the slowest reader of each trial; median / worst)',
      '',
      '| Instances | reads req/s | reads p99 ms | CPU µs/read (instances + proxy) | writes req/s | writes p99 ms | CPU µs/write (instances + proxy) | staleness ms, median / worst | failures |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
    ].join('\n'),
  );
  if (failures > 0) {
    console.error(
      `[scale-out] ${failures} requests failed (status outside 2xx/3xx, socket errors, timeouts)`,
    );
    return 1;
  }
  return 0;
}

main().then(
  (code) => bail(code),
  (error: unknown) => {
    console.error('[scale-out]', error instanceof Error ? error.message : error);
    bail(1);
  },
);
