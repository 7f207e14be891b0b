import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../server/config.ts';
import { effectiveSettings, settingsFor } from '../../server/site-settings.ts';
import type { SiteRecord } from '../../server/store/site-store.ts';
import { DEFAULT_SITE_SETTINGS } from '../../shared/admin-schemas.ts';

const site = (overrides: SiteRecord['overrides']): SiteRecord => ({
  id: 'blog',
  name: 'Blog',
  settings: { ...DEFAULT_SITE_SETTINGS, ...overrides },
  overrides,
  version: 0,
  createdAt: 0,
});

describe('settings worked out once per site record', () => {
  it('are what effectiveSettings gives, under the configuration given', () => {
    const config = { ...DEFAULT_CONFIG, editWindowMs: 120_000, maxDepth: 3 };
    const record = site({ requireName: true });
    expect(settingsFor(config)(record)).toEqual(effectiveSettings(record, config));
  });

  it('come from the same record once, and anew from a new record, as the store makes on a change', () => {
    const settingsOf = settingsFor(DEFAULT_CONFIG);
    const before = site({ maxLinks: 2 });
    expect(settingsOf(before)).toBe(settingsOf(before));
    const after = site({ maxLinks: 5 });
    expect(settingsOf(after).maxLinks).toBe(5);
    expect(settingsOf(before).maxLinks).toBe(2);
  });
});
