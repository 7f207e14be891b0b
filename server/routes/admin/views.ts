import type { Access, Site } from '../../../shared/admin-schemas.ts';
import type { SiteRecord } from '../../store/site-store.ts';

export function toSiteView(site: SiteRecord, access: Access): Site {
  return { id: site.id, name: site.name, settings: site.settings, access, createdAt: site.createdAt };
}
