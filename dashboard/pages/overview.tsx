import type { Stats } from '../../shared/admin-schemas.ts';
import { query } from '../api.ts';
import { Link, navigate, type Route } from '../router.tsx';
import { useSession } from '../session.ts';
import { Alert, Loading, Page } from '../ui/page.tsx';
import { SiteFilterBar } from '../ui/site-filter.tsx';
import { useFetch } from '../ui/use-fetch.ts';
import { DayChart } from './day-chart.tsx';

/** The first page after sign-in: what waits (pending, spam) and how busy the last 30 days were. */
export function Overview({ route }: { route: Route }) {
  const { session } = useSession();
  const site = route.params.get('site') ?? undefined;
  const stats = useFetch<Stats>(`/stats${query({ site })}`);
  const scoped = (path: string, extra: Record<string, string> = {}) => `${path}${query({ ...extra, site })}`;
  return (
    <Page title="Overview" wide>
      <SiteFilterBar
        label="Filter the overview"
        sites={session.sites}
        value={site}
        onChange={(next) => navigate(query({ site: next }), { replace: true })}
      />
      {session.sites.length === 0 && (
        <p class="empty">
          You have no site yet.{' '}
          {session.user.isAdmin ? (
            <Link to="/sites">Add your first site</Link>
          ) : (
            'Ask an owner to invite you to one.'
          )}
        </p>
      )}
      {stats.data ? (
        <>
          <ul class="counts">
            <li>
              <Link to={scoped('/queue')}>
                <strong>{stats.data.pending}</strong> pending
              </Link>
            </li>
            <li>
              <Link to={scoped('/comments', { status: 'spam' })}>
                <strong>{stats.data.spam}</strong> spam
              </Link>
            </li>
            <li>
              <Link to={scoped('/comments', { status: 'approved' })}>
                <strong>{stats.data.approved}</strong> approved
              </Link>
            </li>
          </ul>
          <DayChart perDay={stats.data.perDay} />
        </>
      ) : stats.loading ? (
        <Loading />
      ) : (
        <Alert failure={stats.failure} />
      )}
    </Page>
  );
}
