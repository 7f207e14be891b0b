/*
 * What the widget remembers in the page's localStorage: the reader's name and email, drafts, and the edit tokens
 * of the reader's own comments. Nothing here is sent anywhere but the Parley server. Storage can be missing or
 * full (private windows, sandboxed frames): every access degrades to "remember nothing".
 */

export function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function write(key: string, value: unknown): void {
  try {
    if (value == null || value === '') localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Not remembering is fine.
  }
}

export interface Identity {
  name: string;
  email: string;
}

export const loadIdentity = (): Identity => read('parley:me', { name: '', email: '' });
export const saveIdentity = (identity: Identity): void => write('parley:me', identity);

/**
 * A comment this browser wrote: the token that proves it, until when it works, the markdown source, the thread it
 * is in (its `thread.key`; absent in entries older than moderation) and whether it awaits moderation.
 */
export interface Own {
  token: string;
  until: number;
  body: string;
  thread?: string;
  held?: boolean;
}

export type OwnComments = Record<string, Own>;

// Keyed per Parley server: one blog could move between two of them.
const ownKey = (origin: string) => `parley:own:${origin}`;

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

/** Drafts are kept per server, thread and parent comment, so a half-written reply stays under its comment. */
export const draftKey = (origin: string, thread: string, parentId: string | null) =>
  `parley:draft:${origin}|${thread}|${parentId ?? ''}`;
export const loadDraft = (key: string): string => read(key, '');
export const saveDraft = (key: string, body: string): void => write(key, body);

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
