import type { Clock, RateRule } from './config.ts';
import { ApiError } from './errors.ts';
import type { RateLimitStore } from './store/store.ts';

const PRUNE_EVERY = 1000;
const KEEP_WINDOWS_MS = 24 * 60 * 60_000;

/**
 * Fixed-window limits counted in the store, so every instance behind a load balancer sees the same counts. Both
 * calls throw 429 with Retry-After when a key is over its limit.
 */
export function createRateLimiter(store: RateLimitStore, clock: Clock) {
  let hitsSincePrune = 0;

  const window = (rule: RateRule) => {
    const now = clock.now();
    const start = now - (now % rule.windowMs);
    return { now, start };
  };

  const refuse = (start: number, now: number, rule: RateRule) => {
    const retryAfter = Math.max(1, Math.ceil((start + rule.windowMs - now) / 1000));
    return new ApiError(
      429,
      'rate_limited',
      `Too many requests; try again in ${retryAfter} seconds`,
      undefined,
      {
        'Retry-After': String(retryAfter),
      },
    );
  };

  return {
    /** Counts one hit for `key` in `bucket`; throws when that makes it more than `rule.max`. */
    async hit(bucket: string, key: string, rule: RateRule): Promise<void> {
      const { now, start } = window(rule);
      const hits = await store.hitRateLimit(`${bucket}:${key}`, start);
      if (++hitsSincePrune >= PRUNE_EVERY) {
        hitsSincePrune = 0;
        await store.pruneRateLimits(now - KEEP_WINDOWS_MS);
      }
      if (hits > rule.max) throw refuse(start, now, rule);
    },

    /** Throws when `key` has already reached `rule.max` hits; counts nothing (to limit failures only). */
    async assertBelow(bucket: string, key: string, rule: RateRule): Promise<void> {
      const { now, start } = window(rule);
      if ((await store.countRateLimit(`${bucket}:${key}`, start)) >= rule.max) throw refuse(start, now, rule);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
