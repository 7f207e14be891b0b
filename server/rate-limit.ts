import type { Clock, RateRule } from './config.ts';
import { ApiError } from './errors.ts';
import type { RateLimitStore } from './store/store.ts';

const PRUNE_EVERY = 1000;
const KEEP_WINDOWS_MS = 24 * 60 * 60_000;

/**
 * Fixed-window limits counted in the store, so every instance behind a load balancer sees the same counts. Both
 * calls count first and throw 429 with Retry-After when that puts a key over its limit: a check made apart from
 * the count would let every request of a parallel burst through.
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

  /**
   * Counts an attempt before it is made, in one statement, so that of any number of parallel attempts at most
   * `rule.max` get through; throws when over. Returns what takes the attempt back again, for limits that count
   * only failures: a caller whose attempt succeeded calls it.
   *
   * @example
   * const refund = await limits.attempt('sign-in', client, rule);
   * if (await verifyPassword(password, hash)) await refund();
   */
  const attempt = async (bucket: string, key: string, rule: RateRule): Promise<() => Promise<void>> => {
    const { now, start } = window(rule);
    const counted = `${bucket}:${key}`;
    const hits = await store.hitRateLimit(counted, start);
    if (++hitsSincePrune >= PRUNE_EVERY) {
      hitsSincePrune = 0;
      await store.pruneRateLimits(now - KEEP_WINDOWS_MS);
    }
    if (hits > rule.max) throw refuse(start, now, rule);
    return () => store.refundRateLimit(counted, start);
  };

  return {
    /** Counts one hit for `key` in `bucket`; throws when that makes it more than `rule.max`. */
    async hit(bucket: string, key: string, rule: RateRule): Promise<void> {
      await attempt(bucket, key, rule);
    },
    attempt,
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
