import { z } from '@hono/zod-openapi';

/** What a field holding U+0000 answers, whichever field and store. */
export const NUL_MESSAGE = 'Contains a NUL character';

/** Whether a string holds U+0000, which PostgreSQL cannot keep in a text column (it answers with an error). */
export const hasNul = (value: string) => value.includes('\0');

/**
 * Every string the API takes: one without U+0000, refused on every store so that they all answer alike, and with
 * lone surrogates (valid in JSON, not in Unicode) turned into U+FFFD so every store keeps the same text. The NUL
 * check comes first, so its message is the one the field answers with (the API reports a field's first issue). It
 * does not abort: a union (`'' | email`) would then answer a bare "Invalid input".
 *
 * @example
 * const name = text().trim().max(80);
 * const email = text().check(z.email('Not an email address'));
 */
export const text = () =>
  z
    .string()
    .refine((value) => !hasNul(value), NUL_MESSAGE)
    .overwrite((value) => value.toWellFormed());
