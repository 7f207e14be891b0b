import { describe, expect, it } from 'vitest';
import { webhookUrlProblem } from '../../server/webhooks/targets.ts';

describe('webhook targets', () => {
  it('accepts public http(s) URLs', () => {
    for (const url of [
      'https://hooks.example.com/in',
      'http://93.184.216.34:8080/x',
      'https://[2606:4700::1111]/',
    ]) {
      expect(webhookUrlProblem(url, false), url).toBeUndefined();
    }
  });

  it('refuses other schemes, credentials and what is not a URL, even when private targets are allowed', () => {
    for (const url of [
      'ftp://hooks.example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://u:p@x.example/',
      'nope',
    ]) {
      expect(webhookUrlProblem(url, true), url).toBeDefined();
    }
  });

  it('refuses loopback, private, link-local and local names unless allowed', () => {
    const internal = [
      'http://127.0.0.1:9000/',
      'http://localhost/',
      'http://api.localhost/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://10.1.2.3/',
      'http://172.20.0.1/',
      'http://192.168.1.10/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://printer.local/',
      'http://db.internal/',
      'http://intranet/',
    ];
    for (const url of internal) {
      expect(webhookUrlProblem(url, false), url).toMatch(/PARLEY_WEBHOOKS_ALLOW_PRIVATE/);
      expect(webhookUrlProblem(url, true), url).toBeUndefined();
    }
  });
});
