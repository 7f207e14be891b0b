/**
 * The key a thread is stored under. A blogger's page id wins; otherwise the page URL without what varies between
 * visits to the same page: scheme, `www.`, default port, query, fragment, a trailing slash or `index.html`.
 *
 * @example threadKey('https://www.Example.com:443/posts/a/?utm=x#c1') // 'example.com/posts/a'
 */
export function threadKey(url: string, pageId?: string): string {
  if (pageId) return `id:${pageId}`;
  const parsed = new URL(url);
  const host = parsed.host.replace(/^www\./, '');
  const path = parsed.pathname.replace(/\/index\.html?$/, '/').replace(/\/+$/, '');
  return host + path;
}

/** The URL recorded for a thread: the page as given, less query and fragment. */
export function canonicalUrl(url: string): string {
  const parsed = new URL(url);
  return parsed.origin + parsed.pathname;
}
