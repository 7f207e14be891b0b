import type { Sort } from '../shared/schemas.ts';
import { chooseLanguage } from './i18n.ts';
import { sortOr } from './storage.ts';

export type Theme = 'light' | 'dark' | 'auto';

/** What the blogger configured on the script tag, plus where the widget came from. */
export interface Options {
  /** The Parley server, taken from the script's own `src`. */
  origin: string;
  pageId?: string | undefined;
  title?: string | undefined;
  site?: string | undefined;
  theme: Theme;
  /** The language shown, as a tag for Intl: see chooseLanguage. */
  lang: string;
  sort: Sort;
  /** Comments per page, as digits; the server's default when absent. */
  limit?: string | undefined;
}

/** The script tag that loaded the widget. `currentScript` is null only when read after the first tick. */
export function findScript(): HTMLScriptElement | null {
  const current = document.currentScript as HTMLScriptElement | null;
  if (current) return current;
  const all = document.querySelectorAll<HTMLScriptElement>('script[src*="embed.js"]');
  return all[all.length - 1] ?? null;
}

/** The widget's options from the script's `data-*` attributes, or from `data` when given (`<parley-comments>`). */
export function readOptions(
  script: HTMLScriptElement,
  data: Partial<Record<string, string>> = script.dataset,
): Options {
  const theme = data.theme;
  return {
    origin: new URL(script.src).origin,
    pageId: data.pageId || undefined,
    title: data.pageTitle || undefined,
    site: data.site || undefined,
    theme: theme === 'light' || theme === 'dark' ? theme : 'auto',
    lang: chooseLanguage(data.lang, document.documentElement.lang, navigator.language),
    sort: sortOr(data.sort, 'oldest'),
    limit: /^[1-9]\d*$/.test(data.limit ?? '') ? data.limit : undefined,
  };
}

/** The address the thread belongs to: the canonical link when the page has one. The server normalizes it. */
export function pageUrl(): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel="canonical"]');
  return canonical?.href || location.href;
}
