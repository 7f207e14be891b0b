import { type Own, type OwnComments, ownKey, read, write } from './storage.ts';

/*
 * What the widget remembers once a reader writes (see storage.ts): the name and email given, and the edit tokens
 * of the comments posted. Only the chunks that write need it.
 */

export interface Identity {
  name: string;
  email: string;
}

export const loadIdentity = (): Identity => read('parley:me', { name: '', email: '' });
export const saveIdentity = (identity: Identity): void => write('parley:me', identity);

// Moderation can take days: a held comment is remembered past its edit window, so that its author still sees it.
const HELD_MS = 30 * 86_400_000;

/** The reader's comments on this server whose edit window is still open, or that await moderation. */
export function loadOwn(origin: string, now = Date.now()): OwnComments {
  const own = read<OwnComments>(ownKey(origin), {});
  for (const id in own) {
    const entry = own[id];
    if (!entry || entry.until + (entry.held ? HELD_MS : 0) < now) delete own[id];
  }
  return own;
}

export function saveOwn(origin: string, id: string, entry: Own | null): OwnComments {
  const own = loadOwn(origin);
  if (entry) own[id] = entry;
  else delete own[id];
  write(ownKey(origin), own);
  return own;
}
