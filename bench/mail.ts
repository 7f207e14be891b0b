/*
 * What mail costs a POST, and how fast the outbox empties: N comments posted in process with "Email me replies"
 * (each queues a confirmation mail), with mail off and on, against a real SMTP server on loopback in the same
 * process (whose parsing of each message is counted too). A script, not a test: `npx tsx bench/mail.ts [N]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../server/app.ts';
import { createBackground } from '../server/background.ts';
import { configFromEnv } from '../server/config.ts';
import { openDatabase } from '../server/node/database.ts';
import { smtpTransport } from '../server/node/smtp-transport.ts';
import { kyselyStore } from '../server/store/kysely-store.ts';
import { startSmtp } from '../tests/mail/smtp.ts';

const N = Number(process.argv[2]) || 300;
const smtp = await startSmtp();

async function run(mail: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-mail-'));
  const store = kyselyStore(openDatabase(`file:${join(dir, 'parley.db')}`));
  await store.migrate();
  const background = createBackground(() => {});
  const env = {
    PARLEY_RATE_LIMIT_MAX: '1000000',
    ...(mail && { PARLEY_MAIL_FROM: 'Bench <bench@example.test>' }),
  };
  const app = createApp({
    store,
    config: configFromEnv(env),
    background,
    logError: () => {},
    ...(mail && { mailTransport: smtpTransport(smtp.url) }),
  });
  smtp.inbox.length = 0;
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    const before = performance.now();
    const res = await app.request('/api/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        url: 'https://blog.example/post/',
        email: `reader-${i}@example.test`,
        body: 'Tell me when someone answers',
        notify: true,
        browserKey: 'bench-browser-key-aaaaaaaaaa',
      }),
    });
    if (res.status !== 201) throw new Error(`POST answered ${res.status}`);
    times.push(performance.now() - before);
  }
  const posted = performance.now() - start;
  await background.run();
  while (mail && smtp.inbox.length < N) await new Promise((resolve) => setTimeout(resolve, 20));
  const done = performance.now() - start;
  times.sort((a, b) => a - b);
  const at = (q: number) => (times[Math.floor(times.length * q)] ?? 0).toFixed(1);
  console.log(
    `mail ${mail ? 'on ' : 'off'}: ${N} POSTs in ${posted.toFixed(0)} ms (median ${at(0.5)} ms, p95 ${at(0.95)} ms)` +
      (mail ? `; all ${N} mails received ${done.toFixed(0)} ms after the first POST` : ''),
  );
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

for (const mail of [false, true, false, true]) await run(mail);
await smtp.close();
process.exit(0);
