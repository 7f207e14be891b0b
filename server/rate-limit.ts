import type { Clock, RateRule } from './config.ts';
import { ApiError } from './errors.ts';
import type { Store } from './store/store.ts';

const PRUNE_EVERY = 1000;
const KEEP_WINDOWS_MS = 24 * 60 * 60_000;

/**
 * Fixed-window limits counted in the store, so every instance behind a load balancer sees the same counts.
 * Throws 429 with Retry-After when a client is over its limit.
 */
export function createRateLimiter(store: Store, clock: Clock) {
  let hitsSincePrune = 0;

  return async function limit(bucket: string, clientHash: string, rule: RateRule): Promise<void> {
    const now = clock.now();
    const windowStart = now - (now % rule.windowMs);
    const hits = await store.hitRateLimit(`${bucket}:${clientHash}`, windowStart);
    if (++hitsSincePrune >= PRUNE_EVERY) {
      hitsSincePrune = 0;
      await store.pruneRateLimits(now - KEEP_WINDOWS_MS);
    }
    if (hits > rule.max) {
      const retryAfter = Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000));
      throw new ApiError(
        429,
        'rate_limited',
        `Too many requests; try again in ${retryAfter} seconds`,
        undefined,
        { 'Retry-After': String(retryAfter) },
      );
    }
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
