/*
 * Which webhook URLs Parley will post to. Only http(s), and by default no target that is obviously inside the
 * server's own network: loopback, private and link-local ranges, and names that only mean something locally. A
 * public name that resolves to a private address is not caught here (Workers cannot reach those anyway; on Node,
 * put the server behind an egress firewall if that matters).
 */

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/i;

function ipv4Parts(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4) return undefined;
  const numbers = parts.map((part) => (/^\d{1,3}$/.test(part) ? Number(part) : Number.NaN));
  return numbers.every((n) => n >= 0 && n <= 255) ? numbers : undefined;
}

function privateIpv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

function privateIpv6(host: string): boolean {
  const address = host.toLowerCase();
  if (address === '::' || address === '::1') return true;
  // IPv4-mapped (URL parsing writes them in hex: ::ffff:7f00:1).
  const mapped = address.match(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
  if (mapped) {
    const high = Number.parseInt(mapped[1] ?? '0', 16);
    return privateIpv4([high >> 8, high & 255]);
  }
  return /^(f[cd]|fe[89ab])/.test(address);
}

/**
 * Why Parley refuses to post to this URL, or undefined when it may.
 *
 * @example webhookUrlProblem('http://127.0.0.1:9000/hook', false) // 'Points inside the server's own network…'
 */
export function webhookUrlProblem(url: string, allowPrivate: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'Use an http or https URL';
  if (parsed.username || parsed.password)
    return 'Leave credentials out of the URL; check the signature instead';
  if (allowPrivate) return undefined;
  const host = parsed.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const v4 = ipv4Parts(host);
  const internal = v4
    ? privateIpv4(v4)
    : host.includes(':')
      ? privateIpv6(host)
      : !host.includes('.') || LOCAL_NAMES.test(host);
  return internal
    ? 'Points inside the server’s own network; set PARLEY_WEBHOOKS_ALLOW_PRIVATE=1 to allow it'
    : undefined;
}
