import { describe, expect, it } from 'vitest';
import { randomBytes, randomToken } from '../../server/crypto.ts';
import { newId } from '../../server/ids.ts';

describe('random bytes drawn from a pool', () => {
  it('never hands out the same bytes twice, across refills of the pool', () => {
    const seen = new Set<string>();
    // 40,000 × 32 bytes: the 4 KiB pool is refilled hundreds of times.
    for (let i = 0; i < 40_000; i++) seen.add(Buffer.from(randomBytes(32)).toString('hex'));
    expect(seen.size).toBe(40_000);
  });

  it('gives copies, which later draws do not change', () => {
    const first = randomBytes(16);
    const kept = Buffer.from(first).toString('hex');
    for (let i = 0; i < 1000; i++) randomBytes(16);
    expect(Buffer.from(first).toString('hex')).toBe(kept);
    expect(first.byteLength).toBe(16);
    expect(first.buffer.byteLength).toBe(16);
  });

  it('makes tokens of 32 bytes and ids that sort by time', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, () => randomToken()));
    expect(tokens.size).toBe(10_000);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const ids = Array.from({ length: 1000 }, (_, i) => newId(1_800_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });
});
