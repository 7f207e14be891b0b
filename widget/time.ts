const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

// Made once: an Intl formatter costs far more to make than to use, and a thread shows hundreds of dates. A page
// speaks one language.
let relative: Intl.RelativeTimeFormat | undefined;

/** "3 days ago", "now", in the page's language, from epoch milliseconds. */
export function relativeTime(at: number, now: number, lang: string): string {
  const seconds = Math.min(0, (at - now) / 1000);
  relative ??= new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (-seconds >= size) return relative.format(Math.trunc(seconds / size), unit);
  }
  return relative.format(0, 'second');
}
