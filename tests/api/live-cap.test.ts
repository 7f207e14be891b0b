import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteTarget } from '../support/targets.ts';
import type { ApiTarget } from './target.ts';

describe('the cap on live streams per server', () => {
  let target: ApiTarget;
  beforeAll(async () => {
    target = await openSqliteTarget({ PARLEY_LIVE_MAX_STREAMS: '1' });
  });
  afterAll(() => target.close());

  it('answers 503 with Retry-After past PARLEY_LIVE_MAX_STREAMS, and takes a reader again once one leaves', async () => {
    const path = `/api/comments/live?url=${encodeURIComponent('https://blog.example.com/cap/')}`;
    const first = await target.request(path);
    expect(first.status).toBe(200);
    const refused = await target.request(path);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('30');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    await first.body?.cancel();
    const again = await target.request(path);
    expect(again.status).toBe(200);
    await again.body?.cancel();
  });
});
