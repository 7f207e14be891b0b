import { type Own, type OwnComments, read } from './storage.ts';

/*
 * What the widget remembers once a reader writes (see storage.ts): the name and email given, and the edit tokens
 * of the comments posted. Only the chunks that write need it.
 */

export function write(key: string, value: unknown): void {
  try {
    if (value == null || value === '') localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Not remembering is fine.
  }
}

// Keyed per Parley server: one blog could move between two of them.
const ownKey = (origin: string) => `parley:own:${origin}`;

export const saveDraft = (key: string, body: string): void => write(key, body);

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

/**
 * A random key that stands for this browser, made on first use and kept: what a vote or a confirmed email is tied
 * to, without a cookie or an account. The server stores only its keyed hash. Without storage it lives as long as
 * the page.
 */
let sessionKey: string | undefined;
export function browserKey(): string {
  let key = read<string>('parley:browser', '');
  if (!/^[A-Za-z0-9_-]{22,64}$/.test(key)) {
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    key =
      sessionKey ??
      btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, '-')
        .replace(/\//g, '_');
    sessionKey = key;
    write('parley:browser', key);
  }
  return key;
}
