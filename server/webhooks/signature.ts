import { keyedHash } from '../crypto.ts';

/** The header that carries a delivery's signature. */
export const SIGNATURE_HEADER = 'Parley-Signature';

/**
 * The `Parley-Signature` value for a body sent at `timestamp` (Unix seconds): `t=<timestamp>,v1=<hex>`, where the
 * hex is HMAC-SHA-256 under the webhook's secret of `<timestamp>.<the exact body bytes>`. A receiver recomputes it,
 * compares in constant time, and refuses timestamps more than five minutes away from its own clock.
 *
 * @example await signatureHeader('whsec_…', 1767225600, '{"event":"ping"}') // 't=1767225600,v1=5d41…'
 */
export async function signatureHeader(secret: string, timestamp: number, body: string): Promise<string> {
  return `t=${timestamp},v1=${await keyedHash(secret, `${timestamp}.${body}`)}`;
}
