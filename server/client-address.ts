/*
 * Which address a request came from when it passed through reverse proxies. `X-Forwarded-For` is a list that each
 * proxy extends on the right with the address it saw; everything left of what our own proxies wrote was written
 * by the client and proves nothing. So the client is found by walking from the right, past our proxies only.
 */

/** Whom to believe about `X-Forwarded-For`: nobody, a number of proxy hops, or the proxies' own addresses. */
export type ProxyTrust =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  | { kind: 'addresses'; matches: (address: string) => boolean };

/**
 * Reads `PARLEY_TRUST_PROXY`: unset or `0` trusts no proxy; a whole number N trusts N hops in front of Parley;
 * a comma-separated list of addresses and CIDR ranges trusts the proxies at those addresses.
 *
 * @example
 * parseProxyTrust('1');                     // one proxy (nginx or Caddy on the same machine)
 * parseProxyTrust('127.0.0.1, 10.0.0.0/8'); // whichever of these forwarded the request
 */
export function parseProxyTrust(value: string | undefined): ProxyTrust {
  const text = value?.trim() ?? '';
  if (text === '' || text === '0') return { kind: 'none' };
  if (/^\d+$/.test(text)) return { kind: 'hops', hops: Number(text) };
  const ranges = text.split(',').map((entry) => parseRange(entry.trim()));
  return { kind: 'addresses', matches: (address) => ranges.some((range) => range(address)) };
}

/**
 * The client's address: the socket's peer when no proxy is trusted; else the entry of `X-Forwarded-For` that the
 * outermost trusted proxy saw.
 *
 * @example
 * // nginx in front (PARLEY_TRUST_PROXY=1) passed on a header the client had filled in itself:
 * clientAddressBehind({ kind: 'hops', hops: 1 }, '127.0.0.1', '6.6.6.6, 203.0.113.9'); // '203.0.113.9'
 */
export function clientAddressBehind(
  trust: ProxyTrust,
  peer: string | undefined,
  forwardedFor: string | undefined,
): string | undefined {
  if (trust.kind === 'none' || !forwardedFor) return peer;
  const hops = forwardedFor
    .split(',')
    .map((entry) => stripPort(entry.trim()))
    .filter(Boolean);
  if (hops.length === 0) return peer;
  if (trust.kind === 'hops') {
    // Fewer entries than trusted hops: the request skipped an outer proxy, and the leftmost entry is still one that
    // a trusted proxy wrote.
    return hops[Math.max(0, hops.length - trust.hops)];
  }
  if (peer === undefined || !trust.matches(peer)) return peer;
  for (let index = hops.length - 1; index > 0; index--) {
    const hop = hops[index] as string;
    if (!trust.matches(hop)) return hop;
  }
  return hops[0];
}

/** `[2001:db8::1]:443` and `203.0.113.9:443` as some proxies write them; IPv4-mapped IPv6 as plain IPv4. */
function stripPort(entry: string): string {
  const bracketed = entry.match(/^\[([^\]]+)\](?::\d+)?$/);
  if (bracketed) return bracketed[1] as string;
  const v4WithPort = entry.match(/^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/);
  if (v4WithPort) return v4WithPort[1] as string;
  return entry.replace(/^::ffff:(?=\d{1,3}(?:\.\d{1,3}){3}$)/i, '');
}

function parseRange(entry: string): (address: string) => boolean {
  const [base = '', prefixText] = entry.split('/');
  const bits = parseAddress(base);
  if (!bits) throw new Error(`PARLEY_TRUST_PROXY: "${entry}" is not an IP address or CIDR range`);
  const prefix = prefixText === undefined ? bits.length : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits.length) {
    throw new Error(`PARLEY_TRUST_PROXY: "${entry}" has an invalid prefix length`);
  }
  const wanted = bits.slice(0, prefix);
  return (address) => {
    const candidate = parseAddress(stripPort(address));
    return candidate?.length === bits.length && candidate.slice(0, prefix) === wanted;
  };
}

/** An IPv4 or IPv6 address as a string of 32 or 128 bits, or undefined when it is not one. */
function parseAddress(text: string): string | undefined {
  const v4 = text.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    if (octets.some((octet) => octet > 255)) return undefined;
    return octets.map((octet) => octet.toString(2).padStart(8, '0')).join('');
  }
  if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return undefined;
  const [head = '', tail, extra] = text.split('::');
  if (extra !== undefined) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  if (all.some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  return all.map((group) => Number.parseInt(group, 16).toString(2).padStart(16, '0')).join('');
}
