import type { Context } from 'hono';
import { DEFAULT_SITE_SETTINGS, type SiteSettings } from '../shared/admin-schemas.ts';
import { LIMITS } from '../shared/limits.ts';
import type { Config } from './config.ts';
import { ApiError } from './errors.ts';
import type { SiteRecord } from './store/site-store.ts';

const DAY_MS = 24 * 60 * 60_000;

/** A site's settings as they apply, with the edit window in milliseconds as the public API states it. */
export interface EffectiveSettings extends SiteSettings {
  editWindowMs: number;
}

/**
 * What applies on a site: what it stored, else the server's configuration for the edit window and the reply depth
 * (so `PARLEY_EDIT_WINDOW_MS` and `PARLEY_MAX_DEPTH` still decide for the default site until its owner changes
 * them), else DEFAULT_SITE_SETTINGS.
 */
export function effectiveSettings(site: SiteRecord, config: Config): EffectiveSettings {
  const { overrides } = site;
  const configured: SiteSettings = {
    ...DEFAULT_SITE_SETTINGS,
    editWindowMinutes: Math.round(config.editWindowMs / 60_000),
    maxDepth: Math.min(config.maxDepth, LIMITS.depthMax),
    ...overrides,
  };
  return {
    ...configured,
    editWindowMs:
      overrides.editWindowMinutes === undefined ? config.editWindowMs : overrides.editWindowMinutes * 60_000,
  };
}

/**
 * `effectiveSettings` under one configuration, worked out once per site record: the store hands back the same
 * record while the site is unchanged, and every page view needs its settings. Treat the result as read-only.
 *
 * @example const settingsOf = settingsFor(config); const settings = settingsOf(found.site);
 */
export function settingsFor(config: Config): (site: SiteRecord) => EffectiveSettings {
  const kept = new WeakMap<SiteRecord, EffectiveSettings>();
  return (site) => {
    let settings = kept.get(site);
    if (!settings) {
      settings = effectiveSettings(site, config);
      kept.set(site, settings);
    }
    return settings;
  };
}

/** Whether readers may no longer comment: locked by a moderator, or closed by the site's `autoCloseDays`. */
export function isLocked(
  thread: { locked: number; created_at: number } | undefined,
  settings: Pick<SiteSettings, 'autoCloseDays'>,
  now: number,
): boolean {
  if (!thread) return false;
  if (thread.locked !== 0) return thread.locked === 1;
  return settings.autoCloseDays > 0 && now >= thread.created_at + settings.autoCloseDays * DAY_MS;
}

/** The canonical form browsers send in the Origin header: lowercase scheme and host, no default port. */
export function normalizeOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin.toLowerCase();
  }
}

/**
 * Refuses a request whose page is on an origin the site does not list (403 `origin_not_allowed`). A site without
 * origins accepts any; a request without an Origin header (not sent by a browser from another page) passes.
 */
export function assertOrigin(c: Context, settings: Pick<SiteSettings, 'origins'>): void {
  if (settings.origins.length === 0) return;
  const origin = c.req.header('Origin');
  if (origin === undefined) return;
  if (settings.origins.some((allowed) => normalizeOrigin(allowed) === origin)) return;
  throw new ApiError(403, 'origin_not_allowed', `This site does not accept comments from ${origin}`);
}

/**
 * Refuses a page address on an origin the site does not list (422 naming `url`), so that nobody can file comments
 * under a stranger's address, which the dashboard would then link to as the page. A site without origins takes any.
 */
export function assertPageUrl(url: string, settings: Pick<SiteSettings, 'origins'>): void {
  if (settings.origins.length === 0) return;
  const origin = normalizeOrigin(url);
  if (settings.origins.some((allowed) => normalizeOrigin(allowed) === origin)) return;
  throw new ApiError(422, 'invalid_input', 'This page is not on one of the site’s origins', {
    url: `${origin} is not one of the origins this site lists`,
  });
}

export function siteNotFound(siteId: string): ApiError {
  return new ApiError(404, 'not_found', `There is no site "${siteId}" on this server`, {
    site: 'No such site',
  });
}
