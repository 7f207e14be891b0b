import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { configFromEnv } from '../../server/config.ts';
import { openDatabase } from '../../server/node/database.ts';
import { listen } from '../../server/node/http-server.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Store } from '../../server/store/store.ts';

interface RawAnswer {
  status: number;
  headers: string;
  body: unknown;
}

describe('errors at the Node boundary, before the app sees a request', () => {
  let dir: string;
  let store: Store;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-http-'));
    store = kyselyStore(openDatabase(`file:${join(dir, 'parley.db')}`));
    await store.migrate();
    const app = createApp({
      store,
      config: configFromEnv({ PARLEY_SECRET: 'http-test' }),
      logError: () => {},
    });
    server = await listen(app.fetch, { port: 0, hostname: '127.0.0.1' });
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sends bytes as they are, and reads the one answer up to the connection's close. */
  function raw(request: string): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk;
      });
      socket.on('error', reject);
      socket.on('close', () => {
        const [head = '', text = ''] = received.split('\r\n\r\n');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {}
        resolve({ status: Number(head.split(' ')[1]), headers: head, body });
      });
      // The server answers these with Connection: close, or after our end for the well-formed ones.
      socket.end(request);
    });
  }

  const jsonError = (code: string) => ({
    headers: expect.stringMatching(/content-type: application\/json/i),
    body: { error: { code, message: expect.any(String) } },
  });

  it('answers headers over Node’s limit with 431 in the API’s shape', async () => {
    const answer = await raw(
      `GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer).toMatchObject({ status: 431, ...jsonError('headers_too_large') });
  });

  it('answers a request that is not HTTP with 400 in the API’s shape', async () => {
    const answer = await raw('HELLO THERE\r\n\r\n');
    expect(answer).toMatchObject({ status: 400, ...jsonError('bad_request') });
  });

  it('answers a Host header that is not a host, or none in HTTP/1.1, with 400 in the API’s shape', async () => {
    const invalid = await raw('GET /api/health HTTP/1.1\r\nHost: exa mple.com\r\nConnection: close\r\n\r\n');
    expect(invalid).toMatchObject({ status: 400, ...jsonError('bad_request') });
    const missing = await raw('GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(missing).toMatchObject({ status: 400, ...jsonError('bad_request') });
  });

  it('still serves HTTP/1.0 without Host, as old health checkers send it', async () => {
    const answer = await raw('GET /api/health HTTP/1.0\r\n\r\n');
    expect(answer).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
