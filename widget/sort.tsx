import type { Sort } from '../shared/schemas.ts';
import { t } from './i18n.ts';
import { read, write } from './storage.ts';

/*
 * The thread's order: oldest, newest or top (most up-votes), chosen by the reader and remembered in this browser
 * for every thread, over the blogger's `data-sort`.
 */

const SORTS: readonly Sort[] = ['oldest', 'newest', 'top'];

export const loadSort = (fallback: Sort): Sort => {
  const kept = read<string>('parley:sort', '');
  return SORTS.includes(kept as Sort) ? (kept as Sort) : fallback;
};

/** The three orders as toggle buttons; the pressed one is the order shown. */
export function SortControl({ sort, onSort }: { sort: Sort; onSort: (sort: Sort) => void }) {
  const labels: Record<Sort, string> = {
    oldest: t('Oldest first'),
    newest: t('Newest first'),
    top: t('Most up-voted'),
  };
  return (
    <div>
      {SORTS.map((each) => (
        <button
          key={each}
          type="button"
          class="l"
          aria-pressed={sort === each}
          onClick={() => {
            write('parley:sort', each);
            onSort(each);
          }}
        >
          {labels[each]}
        </button>
      ))}
    </div>
  );
}
