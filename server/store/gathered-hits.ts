import type { Kysely } from 'kysely';
import type { NextTurn } from './atomic.ts';
import type { Database } from './schema.ts';

interface Hit {
  name: string;
  resolve: (hits: number) => void;
  reject: (error: unknown) => void;
}

interface Count {
  key: string;
  windowStart: number;
  hits: number;
}

/** Rows per statement, well under PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 1000;

const nameOf = (key: string, windowStart: number) => `${windowStart}\u0000${key}`;

/**
 * Rate-limit hits asked for during one turn of the event loop, counted in one statement at the next: one upsert of
 * a row per key with the number of its hits. Each hit is answered the count it would have got counted alone, in the
 * order they came. Rows go in one order (window, then key), so that two instances' statements over the same keys
 * take their row locks alike and never wait on each other in a circle.
 *
 * @example
 * const hit = gatheredHits(db, setImmediate);
 * const count = await hit('write:<client hash>', windowStart);
 */
export function gatheredHits(db: Kysely<Database>, nextTurn: NextTurn) {
  let waiting: Hit[] = [];
  let counts = new Map<string, Count>();

  const upsert = (rows: Count[]) =>
    db
      .insertInto('rate_limits')
      .values(rows.map((row) => ({ key: row.key, window_start: row.windowStart, hits: row.hits })))
      .onConflict((oc) =>
        oc
          .columns(['key', 'window_start'])
          .doUpdateSet((eb) => ({ hits: eb('rate_limits.hits', '+', eb.ref('excluded.hits')) })),
      )
      .returning(['key', 'window_start', 'hits'])
      .execute();

  const flush = async () => {
    const hits = waiting;
    const asked = counts;
    waiting = [];
    counts = new Map();
    try {
      const rows = [...asked.values()].sort(
        (a, b) => a.windowStart - b.windowStart || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
      );
      const totals = new Map<string, number>();
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        for (const row of await upsert(rows.slice(i, i + ROWS_PER_STATEMENT))) {
          totals.set(nameOf(row.key, row.window_start), row.hits);
        }
      }
      const given = new Map<string, number>();
      for (const hit of hits) {
        const total = totals.get(hit.name);
        const count = asked.get(hit.name)?.hits ?? 0;
        if (total === undefined) {
          hit.reject(new Error('The rate-limit upsert returned no row'));
          continue;
        }
        const before = given.get(hit.name) ?? 0;
        given.set(hit.name, before + 1);
        hit.resolve(total - count + before + 1);
      }
    } catch (error) {
      for (const hit of hits) hit.reject(error);
    }
  };

  return (key: string, windowStart: number): Promise<number> =>
    new Promise((resolve, reject) => {
      if (waiting.length === 0) nextTurn(() => void flush());
      const name = nameOf(key, windowStart);
      waiting.push({ name, resolve, reject });
      const count = counts.get(name);
      if (count) count.hits++;
      else counts.set(name, { key, windowStart, hits: 1 });
    });
}
