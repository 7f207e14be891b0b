/*
 * Live streams held by one Node server: `npx tsx bench/streams.ts [--streams N] [--threads T] [--pg]`.
 *
 * Starts the server on a fresh database, opens N Server-Sent Event streams (`GET /api/comments/live`) spread over
 * T threads, and reports the server's resident memory per open stream (RSS after, less RSS before, over N), then
 * posts one comment on each thread in turn and checks that every stream got its event, and how long after the
 * POST was answered the thread's last reader had it (the event may come first: 0).
 * Only the server this script started is stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PG_URL, freshPgSchema } from './postgres.ts';
import { postComment } from './seed.ts';
import { type BenchServer, startServer } from './server.ts';

const { values: args } = parseArgs({
  options: {
    streams: { type: 'string', default: '2000' },
    threads: { type: 'string', default: '20' },
    pg: { type: 'boolean', default: false },
  },
});
const streams = Number(args.streams);
const threads = Number(args.threads);
if (!(streams > 0 && streams <= 15_000) || !(threads > 0 && threads <= streams)) {
  throw new Error('--streams must be 1–15000 and --threads 1–streams');
}

const pageUrl = (thread: number) => `https://blog.example.com/posts/live-${thread}/`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Follower {
  response: IncomingMessage;
  /** When each comment event arrived (ms). */
  events: number[];
}

/** One stream, reading every chunk as a browser would, counting the messages that carry data. */
function open(origin: string, thread: number): Promise<Follower> {
  return new Promise((resolve, reject) => {
    const url = `${origin}/api/comments/live?url=${encodeURIComponent(pageUrl(thread))}`;
    const req = request(url, { agent: false }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`stream answered ${response.statusCode}`));
      const follower: Follower = { response, events: [] };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        for (const _ of chunk.matchAll(/^data: /gm)) follower.events.push(performance.now());
      });
      resolve(follower);
    });
    req.on('error', reject);
    req.end();
  });
}

let server: BenchServer | undefined;
const cleanups: Array<() => Promise<void> | void> = [];

async function main() {
  let databaseUrl: string;
  if (args.pg) {
    const schema = await freshPgSchema(process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL);
    cleanups.push(schema.drop);
    databaseUrl = schema.url;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'parley-streams-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    databaseUrl = `file:${join(dir, 'parley.db')}`;
  }
  server = await startServer({ databaseUrl, env: { PARLEY_LIVE_MAX_STREAMS: String(streams + 100) } });
  const { origin } = server;
  for (let thread = 0; thread < threads; thread++) {
    await postComment(origin, { url: pageUrl(thread), body: 'The first comment.' });
  }
  // One stream opened and closed first, so the code paths' own memory is not counted per stream.
  (await open(origin, 0)).response.destroy();
  await sleep(1000);
  const before = server.rssKib();

  const followers: Follower[] = [];
  const started = performance.now();
  for (let i = 0; i < streams; i += 100) {
    const batch = Array.from({ length: Math.min(100, streams - i) }, (_, j) =>
      open(origin, (i + j) % threads),
    );
    followers.push(...(await Promise.all(batch)));
  }
  const openedIn = performance.now() - started;
  await sleep(2000);
  const after = server.rssKib();

  // One comment per thread, one after another: how long after its POST is answered its last reader has it.
  const delays: number[] = [];
  let reached = 0;
  for (let thread = 0; thread < threads; thread++) {
    const readers = followers.filter((_, i) => i % threads === thread);
    await postComment(origin, { url: pageUrl(thread), body: 'Live.' });
    const answered = performance.now();
    const deadline = answered + 5000;
    while (readers.some((each) => each.events.length === 0) && performance.now() < deadline) await sleep(2);
    const got = readers.filter((each) => each.events.length > 0);
    reached += got.length;
    delays.push(Math.max(0, ...got.map((each) => (each.events[0] ?? answered) - answered)));
  }
  delays.sort((x, y) => x - y);
  const median = delays[Math.floor(delays.length / 2)] ?? 0;
  const worst = delays.at(-1) ?? 0;

  console.log(
    `[bench] ${streams} streams over ${threads} threads, opened in ${(openedIn / 1000).toFixed(1)} s`,
  );
  console.log(
    `[bench] server RSS ${(before / 1024).toFixed(1)} MiB before, ${(after / 1024).toFixed(1)} MiB with them open: ` +
      `${((after - before) / streams).toFixed(1)} KiB per stream`,
  );
  console.log(
    `[bench] one comment per thread: ${reached}/${streams} streams got its event; the thread's last reader had it ` +
      `${Math.round(median)} ms (median over threads), at worst ${Math.round(worst)} ms, after the POST was answered`,
  );
  for (const each of followers) each.response.destroy();
}

main()
  .catch((error: unknown) => {
    console.error('[bench]', error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await server?.stop();
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
  });
