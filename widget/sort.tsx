import type { Sort } from '../shared/schemas.ts';
import { t } from './i18n.ts';
import { write } from './identity.ts';
import { SORT_KEY } from './storage.ts';

/*
 * The thread's order: oldest, newest or top (most up-votes), chosen by the reader and remembered in this browser
 * for every thread, over the blogger's `data-sort` (read back by `loadSort` in storage.ts, for the first paint).
 * Comes with the chunk that writes, after that paint.
 */

const SORTS: readonly Sort[] = ['oldest', 'newest', 'top'];

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
          part="action"
          aria-pressed={sort === each}
          onClick={() => {
            write(SORT_KEY, each);
            onSort(each);
          }}
        >
          {labels[each]}
        </button>
      ))}
    </div>
  );
}
