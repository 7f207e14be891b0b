import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descendants, freePort, listening, running, spawnCollecting } from '../support/processes.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILD = 'npm run build && ';

describe('the Node server as a process', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-process-'));
    env = { ...process.env, DATABASE_URL: `file:${join(dir, 'parley.db')}`, PARLEY_SECRET: 'process-test' };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('started as `npm start` starts it, stops on SIGTERM to npm after finishing the request in flight', async () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const start: string = scripts.start;
    expect(start.startsWith(BUILD), start).toBe(true);
    // The same chain as `npm start` (npm, then sh running a list of commands, then the server) minus the build.
    const port = await freePort();
    const npm = spawnCollecting('npm', ['exec', '--call', `true && ${start.slice(BUILD.length)}`], {
      cwd: ROOT,
      env: { ...env, PORT: String(port) },
    });
    await npm.waitFor(/server owner/);

    const origin = `http://localhost:${port}`;
    expect(npm.output()).toContain(`[parley] listening on ${origin} on SQLite`);
    expect(npm.output()).toContain(`demo page ${origin}/ · dashboard ${origin}/admin`);
    expect(npm.output()).toContain(
      'no server owner yet; create one with: npm run parley -- admin create --email you@example.com',
    );

    // A comment half sent when the signal comes is still stored and answered.
    const body = JSON.stringify({ url: 'https://blog.example/stop', body: 'Sent across a SIGTERM' });
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(
      `POST /api/comments HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const processes = descendants(npm.child.pid ?? 0);
    expect(processes.length).toBeGreaterThan(0);
    try {
      npm.child.kill('SIGTERM');
      await npm.waitFor(/SIGTERM: no longer listening/);
      expect(await listening(port)).toBe(false);
      socket.write(body.slice(10));
      await closed;
      expect(answer).toMatch(/^HTTP\/1\.1 201 /);

      expect(await npm.exited()).toEqual({ code: 0, signal: null });
      expect(processes.filter(running)).toEqual([]);
      expect(await listening(port)).toBe(false);
    } finally {
      for (const pid of processes.filter(running)) process.kill(pid, 'SIGKILL');
    }
  });

  it('says in one line that the port is taken, and exits with status 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const server = spawnCollecting(process.execPath, ['--import', 'tsx', 'server/entries/node.ts'], {
        cwd: ROOT,
        env: { ...env, PORT: String(port) },
      });
      expect(await server.exited()).toEqual({ code: 1, signal: null });
      expect(server.output().trim()).toBe(`[parley] port ${port} is in use; set PORT to another port`);
    } finally {
      taken.close();
    }
  });
});
