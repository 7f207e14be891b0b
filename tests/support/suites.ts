/*
 * Suites that need a part a newcomer may not have (PostgreSQL, Chromium) skip with a plain message saying how to
 * enable them; under PARLEY_REQUIRE_ALL=1 (set by .ci/run) a missing part fails the run instead.
 */

export const REQUIRE_ALL = process.env.PARLEY_REQUIRE_ALL === '1';

/**
 * Decides whether a suite runs. Returns true to run it; false (after saying why) to skip it.
 *
 * @example
 * const run = suiteAvailability('PostgreSQL', await canConnect(), 'start PostgreSQL or set PARLEY_PG_URL');
 * describe.runIf(run)('store on PostgreSQL', () => { … });
 */
export function suiteAvailability(
  name: string,
  available: boolean,
  why: string,
  howToEnable: string,
): boolean {
  if (available) return true;
  const message = `Skipped ${name} suite: ${why}. To enable it, ${howToEnable}.`;
  if (REQUIRE_ALL) throw new Error(`${message} (PARLEY_REQUIRE_ALL=1 makes every suite mandatory)`);
  console.warn(`\n  ⚠ ${message}\n`);
  return false;
}
