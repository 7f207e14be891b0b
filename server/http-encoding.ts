/*
 * Content negotiation for compressed answers. Runtime-neutral: the Node entry brings brotli and gzip through zlib;
 * Workers compress at Cloudflare's edge and bring none.
 */

export type ContentEncoding = 'br' | 'gzip';

/** Compresses whole bodies, once per cached page rather than once per request. */
export interface Compressor {
  /** What it can produce, best first. */
  encodings: readonly ContentEncoding[];
  compress(body: Uint8Array, encoding: ContentEncoding): Promise<Uint8Array<ArrayBuffer>>;
}

/** Bodies smaller than this go as they are: compression would save less than a packet and cost a round of CPU. */
export const COMPRESS_MIN_BYTES = 1024;

/**
 * The first of `offered` that an `Accept-Encoding` header accepts (RFC 9110 §12.5.3: `q=0` refuses, `*` stands for
 * anything not named), or undefined to send the body as it is.
 *
 * @example
 * negotiateEncoding('gzip, deflate, br', ['br', 'gzip']); // 'br'
 * negotiateEncoding('br;q=0, *', ['br', 'gzip']);         // 'gzip'
 */
export function negotiateEncoding(
  accept: string | undefined,
  offered: readonly ContentEncoding[],
): ContentEncoding | undefined {
  if (!accept) return undefined;
  const weights = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim().match(/^q=([0-9.]+)$/)?.[1]).find(Boolean);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const any = weights.get('*');
  return offered.find((encoding) => (weights.get(encoding) ?? any ?? 0) > 0);
}
