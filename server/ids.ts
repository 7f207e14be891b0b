import { randomBytes } from './crypto.ts';

/** Length of every id Parley makes: 9 base-36 digits of epoch milliseconds, then 7 more. */
export const ID_LENGTH = 16;

const TAIL_SPACE = 36 ** 7;
let lastTime = 0;
let lastTail = 0;

/**
 * A new id that sorts by creation time, so ids of siblings concatenate into paths that sort depth-first. Ids made
 * in the same millisecond by one process still sort in creation order: the tail counts up from a random start.
 *
 * @example newId(Date.now()) // '0mhq3k2x1a9b3c4d'
 */
export function newId(now: number): string {
  const time = Math.max(now, lastTime);
  if (time === lastTime && lastTail < TAIL_SPACE - 1) {
    lastTail += 1;
  } else {
    // Half the space for the start leaves room to count up within one millisecond.
    lastTail = new DataView(randomBytes(4).buffer).getUint32(0);
  }
  lastTime = time;
  return time.toString(36).padStart(9, '0') + lastTail.toString(36).padStart(7, '0');
}

export const ID_PATTERN = /^[0-9a-z]{16}$/;

/**
 * A cursor is the `path` of a comment (one or more whole ids); in the `top` order, preceded by its top-level
 * comment's votes and a dot (`3.0mhq3k2x1a9b3c4d`).
 */
export function parseCursor(value: string): { path: string; votes?: number } | undefined {
  const [, votes, path = ''] = /^(?:(\d{1,9})\.)?([0-9a-z]+)$/.exec(value) ?? [];
  if (!path || path.length % ID_LENGTH !== 0) return undefined;
  return votes === undefined ? { path } : { path, votes: Number(votes) };
}

/** The cursor of the page that follows this comment, in this order. */
export const cursorAfter = (row: { path: string; root_votes: number }, top: boolean) =>
  top ? `${row.root_votes}.${row.path}` : row.path;
