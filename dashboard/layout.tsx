import type { ComponentChildren } from 'preact';
import { Link, type Route } from './router.tsx';
import { useSession } from './session.ts';

const SECTIONS: Array<[to: string, label: string]> = [
  ['', 'Overview'],
  ['/queue', 'Queue'],
  ['/comments', 'Comments'],
  ['/sites', 'Sites'],
  ['/audit', 'Audit log'],
  ['/account', 'Account'],
];

/** Which section a path belongs to: a thread belongs to Comments, a site's members to Sites. */
function section(path: string): string {
  if (path.startsWith('/threads')) return '/comments';
  const top = path.match(/^\/[^/]+/)?.[0] ?? '';
  return SECTIONS.some(([to]) => to === top) ? top : '';
}

/** The signed-in frame: a skip link, the name, the navigation and the page in `<main>`. */
export function Layout({ route, children }: { route: Route; children: ComponentChildren }) {
  const { session } = useSession();
  const active = section(route.path);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top-bar">
        <Link to="" class="brand">
          Parley
        </Link>
        <nav aria-label="Dashboard">
          <ul>
            {SECTIONS.map(([to, label]) => (
              <li key={to}>
                <Link to={to} aria-current={active === to ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who-am-i dim" title={session.user.email}>
          {session.user.name || session.user.email}
        </span>
      </header>
      <main id="main">{children}</main>
    </>
  );
}
