import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/*
 * A small History API router. The server answers every `/admin/*` path that is not `/admin/api/*` with the
 * dashboard's index.html, so every page has a real, shareable address.
 */

const BASE = '/admin';

export interface Route {
  /** The path below `/admin`, without a trailing slash: `''`, `/queue`, `/threads/abc`. */
  path: string;
  params: URLSearchParams;
  hash: string;
}

const listeners = new Set<() => void>();

function current(): Route {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return {
    path: path.replace(/\/+$/, ''),
    params: new URLSearchParams(location.search),
    hash: location.hash.slice(1),
  };
}

/** Goes to a dashboard address (`/queue?site=blog`, relative to `/admin`). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = BASE + to;
  if (url === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const listener of listeners) listener();
}

/** The current route; re-renders the caller on every navigation, including back and forward. */
export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

interface LinkProps {
  /** Relative to `/admin`. */
  to: string;
  class?: string;
  'aria-current'?: 'page' | undefined;
  children: ComponentChildren;
}

/** An ordinary link that navigates without reloading; a modified click (new tab) is left to the browser. */
export function Link({ to, children, ...rest }: LinkProps) {
  const follow = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={BASE + to} onClick={follow} {...rest}>
      {children}
    </a>
  );
}

/** Matches `/threads/:id`-style patterns; returns the named parts or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const value = have[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return params;
}
