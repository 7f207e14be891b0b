import type { MailTransport } from './transport.ts';

/**
 * Mail through an HTTP API, for runtimes without SMTP sockets (Workers): one JSON POST per message to `url` with
 * `Authorization: Bearer <key>`, body `{ from, to, subject, text, html, headers }`. Any 2xx is accepted; anything
 * else, or no answer within `timeoutMs`, is a failed attempt the outbox retries (docs/admin-api.md, "Mail").
 *
 * @example const transport = httpTransport('https://mail.example.com/send', env.PARLEY_MAIL_HTTP_KEY);
 */
export function httpTransport(url: string, key: string, timeoutMs = 10_000): MailTransport {
  return {
    async send({ from, to, subject, text, html, headers }) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
        body: JSON.stringify({ from, to, subject, text, html, headers: headers ?? {} }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Drained either way, so that the connection can be reused.
      const answer = await response.text().catch(() => '');
      if (!response.ok) throw new Error(`Mail API answered ${response.status}: ${answer.slice(0, 200)}`);
    },
  };
}
