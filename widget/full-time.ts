// Made once, as in time.ts. The titles come with the chunk that writes: a hover is not what the first paint is for.
let absolute: Intl.DateTimeFormat | undefined;

/** The date and time in full, for a title. */
export function fullTime(at: number, lang: string): string {
  absolute ??= new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  return absolute.format(at);
}
