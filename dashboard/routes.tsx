import { Account } from './account/account.tsx';
import { Audit } from './pages/audit.tsx';
import { AllComments, Queue } from './pages/comments.tsx';
import { Overview } from './pages/overview.tsx';
import { ThreadPage } from './pages/thread.tsx';
import { match, type Route } from './router.tsx';
import { Members } from './sites/members.tsx';
import { SitePage } from './sites/site-page.tsx';
import { Sites } from './sites/sites.tsx';
import { Page } from './ui/page.tsx';

/** The page for an address below `/admin`. A page is keyed by its path, so moving between two threads starts afresh. */
export function Routes({ route }: { route: Route }) {
  const { path } = route;
  if (path === '') return <Overview key={path} route={route} />;
  if (path === '/queue') return <Queue key={path} route={route} />;
  if (path === '/comments') return <AllComments key={path} route={route} />;
  if (path === '/sites') return <Sites key={path} />;
  if (path === '/audit') return <Audit key={path} route={route} />;
  if (path === '/account') return <Account key={path} />;
  const thread = match('/threads/:id', path);
  if (thread?.id) return <ThreadPage key={path} id={thread.id} />;
  const members = match('/sites/:site/members', path);
  if (members?.site) return <Members key={path} siteId={members.site} />;
  const site = match('/sites/:site', path);
  if (site?.site) return <SitePage key={path} siteId={site.site} />;
  return (
    <Page title="Page not found">
      <p>There is no dashboard page at this address.</p>
    </Page>
  );
}
