/*
 * Run as its own process by database-outage.test.ts, as a user who may not write the SQLite file it is given
 * (argv[2]): posts a comment and reads the thread in-process, and prints both answers as one line of JSON.
 */
import { createApp } from '../../server/app.ts';
import { configFromEnv } from '../../server/config.ts';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';

const PAGE = 'https://blog.example/read-only';
const store = kyselyStore(openDatabase(`file:${process.argv[2]}`));
await store.migrate();
const app = createApp({ store, config: configFromEnv({ PARLEY_SECRET: 'read-only-test' }) });
const posted = await app.request('/api/comments', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ url: PAGE, body: 'Into a read-only file' }),
});
const read = await app.request(`/api/comments?url=${encodeURIComponent(PAGE)}`);
console.log(
  JSON.stringify({
    post: { status: posted.status, retryAfter: posted.headers.get('retry-after'), body: await posted.json() },
    read: { status: read.status },
  }),
);
await store.close();
