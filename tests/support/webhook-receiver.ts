import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, with what it made of the signature. */
export interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The signature matched the body under the secret the receiver was given for that path. */
  verified: boolean;
  /** The signed timestamp, in seconds. */
  timestamp: number;
}

/**
 * A webhook receiver on 127.0.0.1, as a site owner would write one, with Node's own crypto rather than Parley's:
 * it checks `Parley-Signature` (`t=…,v1=HMAC-SHA-256(secret, "<t>.<raw body>")`) against the raw bytes received.
 * Each path has its secret; `failNext(n)` makes the next n requests answer 500.
 */
export async function startReceiver() {
  const secrets = new Map<string, string>();
  const received: Received[] = [];
  const waiting: Array<() => void> = [];
  let failures = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const header = String(req.headers['parley-signature'] ?? '');
      const t = Number(header.match(/(?:^|,)t=(\d+)/)?.[1] ?? Number.NaN);
      const v1 = header.match(/(?:^|,)v1=([0-9a-f]{64})/)?.[1] ?? '';
      const secret = secrets.get(req.url ?? '') ?? '';
      const expected = createHmac('sha256', secret).update(`${t}.`).update(raw).digest();
      const given = Buffer.from(v1, 'hex');
      const verified = secret !== '' && given.length === expected.length && timingSafeEqual(given, expected);
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: raw.toString('utf8'),
        verified,
        timestamp: t,
      });
      for (const wake of waiting.splice(0)) wake();
      if (failures > 0) {
        failures--;
        res.writeHead(500).end('not now');
        return;
      }
      res.writeHead(verified ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    received,
    /** A URL of its own on this receiver, checked against `secret` once it is known (`expect`). */
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    expect(path: string, secret: string) {
      secrets.set(path, secret);
    },
    failNext(count: number) {
      failures = count;
    },
    /** Resolves once `count` requests reached `path`; rejects after `ms`. */
    async waitFor(path: string, count: number, ms = 10_000): Promise<Received[]> {
      const deadline = Date.now() + ms;
      for (;;) {
        const got = received.filter((each) => each.path === path);
        if (got.length >= count) return got;
        if (Date.now() > deadline) throw new Error(`${got.length} of ${count} requests reached ${path}`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
