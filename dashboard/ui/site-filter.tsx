import type { Site } from '../../shared/admin-schemas.ts';
import { Field } from './field.tsx';

interface SiteFilterProps {
  sites: Site[];
  value: string | undefined;
  /** The chosen site's id, or undefined for all of them. */
  onChange: (site: string | undefined) => void;
}

/** "All sites" or one of them, as a labelled select; nothing for someone who works on a single site. */
export function SiteFilter({ sites, value, onChange }: SiteFilterProps) {
  if (sites.length < 2) return null;
  return (
    <Field label="Site">
      {(control) => (
        <select
          {...control}
          value={value ?? ''}
          onChange={(event) => onChange(event.currentTarget.value || undefined)}
        >
          <option value="">All sites</option>
          {sites.map((site) => (
            <option key={site.id} value={site.id}>
              {site.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A page's only filter, the site, in its own search landmark. */
export function SiteFilterBar(props: SiteFilterProps & { label: string }) {
  if (props.sites.length < 2) return null;
  return (
    <search class="filters" aria-label={props.label}>
      <SiteFilter {...props} />
    </search>
  );
}
