/*
 * The yardstick of bench/floor.ts: Hono on @hono/node-server answering fixed answers, byte for byte the ones Parley
 * gave (status, headers, body), read from the JSON file named by the first argument. A request for `/<name>` gets
 * the answer of that name. It does nothing per request but find the answer: what is left is the cost of HTTP on
 * Node, the floor Parley's reads are compared with.
 *
 *   node --import tsx bench/fixed-body-server.ts ANSWERS.json   (PORT, HOST from the environment)
 */
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

export interface FixedAnswer {
  status: number;
  headers: Record<string, string>;
  /** The body, base64. */
  body: string;
}

const file = process.argv[2];
if (!file) throw new Error('Usage: bench/fixed-body-server.ts ANSWERS.json');
const answers = JSON.parse(readFileSync(file, 'utf8')) as Record<string, FixedAnswer>;

const app = new Hono();
for (const [name, answer] of Object.entries(answers)) {
  const body = new Uint8Array(Buffer.from(answer.body, 'base64'));
  app.get(`/${name}`, (c) =>
    answer.status === 304 ? c.body(null, 304, answer.headers) : c.body(body, 200, answer.headers),
  );
}

const port = Number(process.env.PORT);
serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, () => {
  console.log(`listening on ${port}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
