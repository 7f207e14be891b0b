/*
 * The comment form's limits are also exported one by one: the widget imports only these, so that the rest of
 * LIMITS stays out of its bundle (an object is kept whole, however few of its properties are read).
 */

/** Markdown source of one comment, in characters. */
export const BODY_MAX = 10_000;
export const NAME_MAX = 80;
export const EMAIL_MAX = 254;

/** Hard limits on what a reader can send. The server enforces them; the widget mirrors them in its form. */
export const LIMITS = {
  /** Markdown source of one comment, in characters. */
  bodyMax: BODY_MAX,
  nameMax: NAME_MAX,
  emailMax: EMAIL_MAX,
  urlMax: 2_048,
  pageIdMax: 200,
  titleMax: 300,
  /** Whole request body in bytes; larger requests get 413 before they are parsed. */
  requestBytesMax: 64 * 1024,
  /** Deepest reply stored, counted from 0 for a top-level comment. */
  depthMax: 64,
  /** Rows in one page of a thread. */
  pageDefault: 50,
  pageMax: 200,
} as const;

/** The largest file the dashboard uploads for an import; larger ones go through `npm run parley -- import`. */
export const IMPORT_BYTES_MAX = 64 * 1024 * 1024;
