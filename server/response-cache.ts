/**
 * Serialized thread pages, as UTF-8 bytes so a hit is sent without encoding again, keyed by what was asked, each tagged with the version it was built from (the thread's
 * version, or a stamp of everything the page depends on). An entry is good only while the store's version matches,
 * so several instances sharing one database never serve a page older than the version they just read. Least
 * recently used entries go first.
 */
export function createResponseCache(maxEntries = 2000) {
  const entries = new Map<string, { version: number | string; body: Uint8Array<ArrayBuffer> }>();

  return {
    get(key: string, version: number | string): Uint8Array<ArrayBuffer> | undefined {
      const entry = entries.get(key);
      if (!entry || entry.version !== version) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      return entry.body;
    },
    set(key: string, version: number | string, body: Uint8Array<ArrayBuffer>): void {
      entries.delete(key);
      entries.set(key, { version, body });
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
    },
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;
