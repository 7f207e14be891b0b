import { expect } from 'vitest';
import type { SessionView, Site, SiteSettings } from '../../shared/admin-schemas.ts';
import type { CreatedComment, ThreadView } from '../../shared/schemas.ts';
import type { ApiTarget } from '../api/target.ts';
import { type AdminClient, adminRequest, clientFor, cookieFrom } from './client.ts';

/*
 * Factories for the site and moderation suites: sites and members made through the admin API (so they work on
 * every target, the Worker included), and readers posting through the public API.
 */

const PASSWORD = 'a long enough password';
const BLOG = 'https://blog.example.test';
let sites = 0;
let people = 0;
let clients = 0;
let pages = 0;

/** A site made by the server owner, accepting `https://blog.example.test`, with these settings. */
export async function newSite(admin: AdminClient, settings: Partial<SiteSettings> = {}): Promise<string> {
  const id = `s-${++sites}-${Date.now().toString(36)}`;
  await admin.ok<Site>('POST', '/sites', { id, name: `Site ${id}`, origins: [BLOG] });
  if (Object.keys(settings).length > 0) await admin.ok<Site>('PATCH', `/sites/${id}`, { settings });
  return id;
}

/** Someone new with a role on a site, invited by `by` and signed in through the invite. */
export async function newMember(
  target: ApiTarget,
  by: AdminClient,
  site: string,
  role: 'owner' | 'moderator',
): Promise<AdminClient> {
  const email = `member-${++people}-${Date.now().toString(36)}@example.test`;
  const { inviteUrl } = await by.ok<{ inviteUrl: string }>('POST', `/sites/${site}/invites`, { email, role });
  const link = new URL(inviteUrl);
  const token = new URLSearchParams(link.hash.slice(1)).get('token') ?? link.searchParams.get('token');
  const res = await adminRequest(target, 'POST', '/invites/accept', {
    body: { token, name: `Member ${people}`, password: PASSWORD },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return clientFor(target, cookieFrom(res), (await res.json()) as SessionView);
}

/** A reader's address no other test uses, so the write limit bites only where a test wants it to. */
export const newReader = () => `198.18.${Math.floor(++clients / 250)}.${clients % 250}`;

export const newPage = () => `${BLOG}/settings/post-${++pages}-${Date.now().toString(36)}/`;

/** Sends a public API request from a reader's address, from a page on the test blog unless told otherwise. */
export function publicRequest(
  target: ApiTarget,
  method: string,
  path: string,
  options: { body?: unknown; reader?: string; origin?: string | null; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...options.headers };
  if (options.origin !== null) headers.Origin = options.origin ?? BLOG;
  const init: RequestInit = { method, headers };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  return target.request(path, init, options.reader ?? newReader());
}

/** Posts a comment on a site's page and expects it stored (201), published or held. */
export async function postComment(
  target: ApiTarget,
  input: Record<string, unknown>,
  reader = newReader(),
): Promise<CreatedComment> {
  const res = await publicRequest(target, 'POST', '/api/comments', {
    body: { body: 'A comment.', ...input },
    reader,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as CreatedComment;
}

/** The first page of a site's thread, as any reader sees it. */
export async function readThread(
  target: ApiTarget,
  site: string,
  url: string,
  query = '',
): Promise<ThreadView> {
  const res = await publicRequest(
    target,
    'GET',
    `/api/comments?site=${site}&url=${encodeURIComponent(url)}${query}`,
  );
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as ThreadView;
}
