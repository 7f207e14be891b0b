import { describe, expect, it } from 'vitest';
import { clientAddressBehind, parseProxyTrust } from '../../server/client-address.ts';

describe('the client address behind trusted proxies', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    for (const setting of [undefined, '', '0']) {
      expect(clientAddressBehind(parseProxyTrust(setting), '198.51.100.7', '6.6.6.6')).toBe('198.51.100.7');
    }
  });

  it('takes the entry the outermost of N trusted hops saw, not what the client wrote on the left', () => {
    const oneHop = parseProxyTrust('1');
    expect(clientAddressBehind(oneHop, '127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddressBehind(oneHop, '127.0.0.1', '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddressBehind(oneHop, '127.0.0.1', '6.6.6.6,7.7.7.7 ,203.0.113.9')).toBe('203.0.113.9');
    const twoHops = parseProxyTrust('2');
    expect(clientAddressBehind(twoHops, '10.0.0.2', '6.6.6.6, 203.0.113.9, 10.0.0.1')).toBe('203.0.113.9');
    // Only one of the two proxies was on the way: its entry is still the client.
    expect(clientAddressBehind(twoHops, '10.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
  });

  it('falls back to the peer when the header is missing or empty', () => {
    expect(clientAddressBehind(parseProxyTrust('1'), '127.0.0.1', undefined)).toBe('127.0.0.1');
    expect(clientAddressBehind(parseProxyTrust('1'), '127.0.0.1', ' , ')).toBe('127.0.0.1');
  });

  it('with named proxies, walks from the right past them only, and believes nothing from anyone else', () => {
    const trust = parseProxyTrust('127.0.0.1, 10.0.0.0/8, 2001:db8::/32');
    expect(clientAddressBehind(trust, '127.0.0.1', '6.6.6.6, 203.0.113.9, 10.1.2.3')).toBe('203.0.113.9');
    expect(clientAddressBehind(trust, '::ffff:127.0.0.1', '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddressBehind(trust, '2001:db8::5', '[2001:db8:0:1::9]:4431, 2001:db8::4')).toBe(
      '2001:db8:0:1::9',
    );
    // A peer that is not a trusted proxy sent the header itself.
    expect(clientAddressBehind(trust, '198.51.100.7', '10.0.0.1')).toBe('198.51.100.7');
    // Every hop is trusted: the leftmost is the best there is.
    expect(clientAddressBehind(trust, '127.0.0.1', '10.0.0.9, 10.0.0.1')).toBe('10.0.0.9');
  });

  it('strips ports that some proxies add', () => {
    expect(clientAddressBehind(parseProxyTrust('1'), '127.0.0.1', '203.0.113.9:51234')).toBe('203.0.113.9');
  });

  it('refuses a setting that is neither a number nor addresses, naming it', () => {
    expect(() => parseProxyTrust('yes')).toThrow(/PARLEY_TRUST_PROXY: "yes"/);
    expect(() => parseProxyTrust('10.0.0.0/33')).toThrow(/prefix length/);
    expect(() => parseProxyTrust('1::2::3')).toThrow(/not an IP address/);
  });
});
