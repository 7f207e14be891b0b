import { later } from './lazy.ts';

/*
 * The widget's chunks: code loaded after the first paint of a thread (see lazy.ts). Importing a chunk's module
 * anywhere else than through these loaders (type imports aside) would put it back into embed.js.
 */

/** Posting, editing, deleting, and finding the reader's own comments the first page lacks. */
export const writing = later(() => import('./thread-actions.tsx'));

/** The rest of a form after its text field (name, email, buttons) and what it does. */
export const formMore = later(() => import('./form-more.tsx'));

/** Words for failed requests, and hints for the blogger on the console. */
export const failures = later(() => import('./failures.ts'));

/** `<parley-comments>`: showing the thread of each element's attributes, and following them. */
export const element = later(() => import('./element.ts'));
