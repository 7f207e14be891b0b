/** Length of every id Parley makes: 9 base-36 digits of epoch milliseconds, then 7 random ones. */
export const ID_LENGTH = 16;

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A new id that sorts by creation time, so ids of siblings concatenate into paths that sort depth-first.
 *
 * @example newId(Date.now()) // '0mhq3k2x1a9b3c4d'
 */
export function newId(now: number): string {
  const random = crypto.getRandomValues(new Uint8Array(7));
  let tail = '';
  for (const byte of random) tail += ALPHABET[byte % 36];
  return now.toString(36).padStart(9, '0') + tail;
}

export const ID_PATTERN = /^[0-9a-z]{16}$/;

/** A cursor is the `path` of a comment: one or more whole ids. */
export const isCursor = (value: string) => value.length % ID_LENGTH === 0 && /^[0-9a-z]+$/.test(value);
