import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { keyedHash, sha256, useSyncHashing } from '../../server/crypto.ts';
import { nodeHashing } from '../../server/node/hashing.ts';

/*
 * The Node entry hashes with node:crypto on the calling thread instead of WebCrypto's thread pool. Every stored
 * hash (client addresses, emails, avatars, edit tokens) must come out the same either way, or a restart on another
 * runtime would forget who is banned and whose comment is whose.
 */
describe('hashing on Node', () => {
  afterEach(() => useSyncHashing(undefined));

  it('gives the hex WebCrypto gives, for any secret and text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.string({ unit: 'binary' }),
        async (secret, text) => {
          useSyncHashing(undefined);
          const web = [await keyedHash(secret, text), await sha256(text)];
          useSyncHashing(nodeHashing);
          expect([await keyedHash(secret, text), await sha256(text)]).toEqual(web);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is what keyedHash and sha256 use once handed over', async () => {
    useSyncHashing({ hmacSha256Hex: () => 'keyed', sha256Hex: () => 'plain' });
    expect(await keyedHash('secret', 'ip:127.0.0.1')).toBe('keyed');
    expect(await sha256('token')).toBe('plain');
  });
});
