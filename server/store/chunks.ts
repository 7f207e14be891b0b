// D1 binds at most 100 parameters per statement; lists of ids are read in slices below that.
const ID_CHUNK = 90;

/** `items` in slices short enough to bind as one statement's parameters on every engine. */
export function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ID_CHUNK) out.push(items.slice(i, i + ID_CHUNK));
  return out;
}
