/*
 * Hashing on WebCrypto, which Node and Workers both provide, so the same code serves every runtime. A runtime with
 * synchronous hashing of its own may hand it over (`useSyncHashing`): on Node each WebCrypto call is a job on the
 * thread pool, ~80 µs of a request's time against ~3 µs for node:crypto's, for the same bytes.
 */

/** HMAC-SHA-256 and SHA-256 as lowercase hex, computed on the spot. */
export interface SyncHashing {
  hmacSha256Hex(key: string, data: string): string;
  sha256Hex(data: string): string;
}

let syncHashing: SyncHashing | undefined;

/**
 * Makes `keyedHash` and `sha256` use `hashing`, which must give the same hex as WebCrypto for every input.
 *
 * @example useSyncHashing(nodeHashing); // in the Node entry point
 */
export function useSyncHashing(hashing: SyncHashing | undefined): void {
  syncHashing = hashing;
}

const encoder = new TextEncoder();
type HmacKey = ReturnType<typeof crypto.subtle.importKey>;
const keys = new Map<string, HmacKey>();

function hmacKey(secret: string): HmacKey {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keys.set(secret, key);
  }
  return key;
}

const hex = (buffer: ArrayBuffer) =>
  Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

/** HMAC-SHA-256 of `data` under `secret`, as hex: one-way, and useless to anyone without the secret. */
export async function keyedHash(secret: string, data: string): Promise<string> {
  if (syncHashing) return syncHashing.hmacSha256Hex(secret, data);
  return hex(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(data)));
}

export async function sha256(data: string): Promise<string> {
  if (syncHashing) return syncHashing.sha256Hex(data);
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(data)));
}

// Random bytes are drawn a few kilobytes at a time: each call to getRandomValues costs as much as drawing hundreds
// of bytes. Every byte of the pool is handed out once.
const pool = new Uint8Array(4096);
let drawn = pool.length;

/** `count` (at most 4096) fresh random bytes. */
export function randomBytes(count: number): Uint8Array {
  if (drawn + count > pool.length) {
    crypto.getRandomValues(pool);
    drawn = 0;
  }
  drawn += count;
  return pool.slice(drawn - count, drawn);
}

/** A random secret of 32 bytes, base64url without padding. */
export function randomToken(): string {
  const bytes = randomBytes(32);
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
