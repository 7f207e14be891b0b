import { createHash, createHmac } from 'node:crypto';
import type { SyncHashing } from '../crypto.ts';

/** node:crypto's hashing, computed on the calling thread: the same hex as WebCrypto's, without a thread-pool job. */
export const nodeHashing: SyncHashing = {
  hmacSha256Hex: (key, data) => createHmac('sha256', key).update(data, 'utf8').digest('hex'),
  sha256Hex: (data) => createHash('sha256').update(data, 'utf8').digest('hex'),
};
