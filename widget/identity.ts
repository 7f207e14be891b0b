import { loadOwn, type Own, type OwnComments, ownKey, read, write } from './storage.ts';

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

export function saveOwn(origin: string, id: string, entry: Own | null): OwnComments {
  const own = loadOwn(origin);
  if (entry) own[id] = entry;
  else delete own[id];
  write(ownKey(origin), own);
  return own;
}
