import type { Site } from '../../shared/admin-schemas.ts';
import { API } from '../api.ts';
import { Link } from '../router.tsx';
import { canManage } from '../session.ts';
import { CopyText } from '../ui/copy.tsx';
import { Alert, Loading, Page } from '../ui/page.tsx';
import { useFetch } from '../ui/use-fetch.ts';
import { Bans } from './bans.tsx';
import { ImportForm } from './import-form.tsx';
import { Notifications } from './notifications.tsx';
import { PrivacyTool } from './privacy-tool.tsx';
import { SettingsForm } from './settings-form.tsx';
import { Webhooks } from './webhooks.tsx';

/** The line a blog pastes where its comments go, filled in for this server and this site. */
const embedSnippet = (siteId: string) =>
  `<script src="${location.origin}/embed.js" data-site="${siteId}" async></script>`;

/** The site's Atom feed, and the line that lets feed readers find it from a page of the blog. */
const feedUrl = (siteId: string) => `${location.origin}/api/feed.atom?site=${encodeURIComponent(siteId)}`;

/**
 * One site: its embed snippet and feed, its settings, the member's mail choice, export and import, webhooks, privacy
 * requests, its bans.
 */
export function SitePage({ siteId }: { siteId: string }) {
  const path = `/sites/${encodeURIComponent(siteId)}`;
  const site = useFetch<Site>(path);
  if (!site.data) {
    return <Page title="Site">{site.loading ? <Loading /> : <Alert failure={site.failure} />}</Page>;
  }
  const manage = canManage(site.data);
  return (
    <Page title={site.data.name}>
      <p class="dim">
        Site id <code>{site.data.id}</code> ·{' '}
        <Link to={`/queue?site=${encodeURIComponent(siteId)}`}>Its queue</Link>
        {manage && (
          <>
            {' · '}
            <Link to={`${path}/members`}>Members</Link>
          </>
        )}
      </p>
      <section aria-labelledby="embed-title">
        <h2 id="embed-title">Embed</h2>
        <p>Paste this where the comments should appear on each page of the blog:</p>
        <CopyText label="Snippet" text={embedSnippet(site.data.id)} oneLine />
      </section>
      <section aria-labelledby="feed-title">
        <h2 id="feed-title">Feeds</h2>
        <p>
          <a href={feedUrl(site.data.id)}>Latest comments (Atom)</a>. Each page has its own, linked from the
          foot of its comments. So that feed readers find this one from the blog, add to its pages’{' '}
          <code>&lt;head&gt;</code>:
        </p>
        <CopyText
          label="Feed link"
          text={`<link rel="alternate" type="application/atom+xml" title="Comments" href="${feedUrl(site.data.id)}">`}
          oneLine
        />
      </section>
      {manage && <SettingsForm key={site.data.id} site={site.data} onSaved={site.set} />}
      <Notifications siteId={site.data.id} />
      {manage && (
        <section aria-labelledby="export-title">
          <h2 id="export-title">Export</h2>
          <p>Every comment of this site, in every state, as one JSON file.</p>
          <a class="button" href={`${API}${path}/export`} download={`parley-${site.data.id}.json`}>
            Download comments (JSON)
          </a>
        </section>
      )}
      {manage && <ImportForm siteId={site.data.id} />}
      {manage && <Webhooks siteId={site.data.id} />}
      {manage && <PrivacyTool siteId={site.data.id} />}
      <Bans siteId={site.data.id} />
    </Page>
  );
}
