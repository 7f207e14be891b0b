/** Hard limits on what a reader can send. The server enforces them; the widget mirrors them in its form. */
export const LIMITS = {
  /** Markdown source of one comment, in characters. */
  bodyMax: 10_000,
  nameMax: 80,
  emailMax: 254,
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
