import type { ContentEncoding } from './http-encoding.ts';

type Bytes = Uint8Array<ArrayBuffer>;

interface Entry {
  version: number | string;
  body: Bytes;
  /** The same body compressed, filled in the first time a client asks for each encoding. */
  encoded: Partial<Record<ContentEncoding, Bytes>>;
}

/**
 * Serialized thread pages, as UTF-8 bytes so a hit is sent without encoding again, keyed by what was asked, each
 * tagged with the version it was built from (the thread's version, or a stamp of everything the page depends on).
 * An entry is good only while the store's version matches, so several instances sharing one database never serve
 * a page older than the version they just read. Compressed copies live and die with their entry. Least recently
 * used entries go first.
 */
export function createResponseCache(maxEntries = 2000) {
  const entries = new Map<string, Entry>();

  const fresh = (key: string, version: number | string) => {
    const entry = entries.get(key);
    return entry?.version === version ? entry : undefined;
  };

  return {
    get(key: string, version: number | string): Bytes | undefined {
      const entry = fresh(key, version);
      if (!entry) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      return entry.body;
    },
    set(key: string, version: number | string, body: Bytes): void {
      entries.delete(key);
      entries.set(key, { version, body, encoded: {} });
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
    },
    /** The compressed copy of the entry's body, if this version has one. */
    getEncoded(key: string, version: number | string, encoding: ContentEncoding): Bytes | undefined {
      return fresh(key, version)?.encoded[encoding];
    },
    /** Keeps a compressed copy beside the body, unless the entry has moved on to another version meanwhile. */
    setEncoded(key: string, version: number | string, encoding: ContentEncoding, body: Bytes): void {
      const entry = fresh(key, version);
      if (entry) entry.encoded[encoding] = body;
    },
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;
