/*
 * The count script, for index pages: fills every `[data-parley-count]` element with its page's comment count, in
 * one request (one per 50 pages, the API's limit). No Preact, nothing of the widget: under 1 KB gzip.
 *
 *   <a href="/posts/hello/#comments" data-parley-count>Comments</a>
 *   <span data-parley-count data-parley-url="https://blog.example.com/posts/hello/"></span>
 *   <script src="https://comments.example.com/count.js" async data-site="blog"></script>
 *
 * The words come from the script's `data-zero`, `data-one`, `data-other` (and any other plural category of
 * `data-lang`, such as `data-few`), with `{n}` for the number; English by default.
 */

const WORDS: Record<string, string> = { zero: 'No comments', one: '{n} comment', other: '{n} comments' };

const script = document.currentScript as HTMLScriptElement | null;

async function fill(from: HTMLScriptElement) {
  const { site, lang } = from.dataset;
  const elements = [...document.querySelectorAll<HTMLElement>('[data-parley-count]')];
  // The page each element counts for: its own data-parley-url, or its link (made absolute), or else this page.
  const urlOf = (element: HTMLElement) =>
    new URL(element.dataset.parleyUrl || element.getAttribute('href') || location.href, location.href).href;
  const urls = [...new Set(elements.map(urlOf))];
  const plural = new Intl.PluralRules(lang || 'en');
  for (let start = 0; start < urls.length; start += 50) {
    const query = new URLSearchParams(site ? { site } : {});
    for (const url of urls.slice(start, start + 50)) query.append('url', url);
    let counts: Record<string, number>;
    try {
      const response = await fetch(`${new URL(from.src).origin}/api/counts?${query}`, {
        credentials: 'omit',
      });
      if (!response.ok) throw response.status;
      ({ counts } = await response.json());
    } catch (error) {
      console.warn(`[parley] Comment counts could not be loaded (${error}); check data-site on count.js.`);
      return;
    }
    for (const element of elements) {
      const n = counts[urlOf(element)];
      if (n === undefined) continue;
      const category = n === 0 ? 'zero' : plural.select(n);
      const words = from.dataset[category] ?? (n === 0 ? from.dataset.other : undefined) ?? WORDS[category];
      element.textContent = (words ?? WORDS.other ?? '').replace('{n}', n.toLocaleString(lang || 'en'));
    }
  }
}

if (script) {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => fill(script));
  else fill(script);
} else {
  console.error('[parley] count.js must be loaded with <script src>.');
}
