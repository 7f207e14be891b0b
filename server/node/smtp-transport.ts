import nodemailer from 'nodemailer';
import { httpTransport } from '../mail/http-transport.ts';
import type { MailTransport } from '../mail/transport.ts';

/**
 * Mail over SMTP through nodemailer, from `PARLEY_SMTP_URL`: `smtp://user:pass@host:587` (STARTTLS when the server
 * offers it) or `smtps://user:pass@host:465` (TLS from the start).
 *
 * @example const transport = smtpTransport('smtp://parley:secret@mail.example.com:587');
 */
export function smtpTransport(url: string): MailTransport {
  const parsed = new URL(url);
  const mailer = nodemailer.createTransport({
    host: parsed.hostname,
    port: Number(parsed.port) || (parsed.protocol === 'smtps:' ? 465 : 587),
    secure: parsed.protocol === 'smtps:',
    ...(parsed.username && {
      auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) },
    }),
    // Connections are kept and reused: a new connection, TLS and login per message cost ~130 ms each on loopback.
    pool: true,
    maxConnections: 2,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send({ from, to, subject, text, html, headers }) {
      await mailer.sendMail({ from, to, subject, text, html, ...(headers && { headers }) });
    },
  };
}

/**
 * The transport the environment names: SMTP (`PARLEY_SMTP_URL`), else an HTTP mail API (`PARLEY_MAIL_HTTP_URL`
 * with `PARLEY_MAIL_HTTP_KEY`), else none. Mail is on only with `PARLEY_MAIL_FROM` as well.
 */
export function mailTransportFromEnv(env: Record<string, string | undefined>): MailTransport | undefined {
  if (env.PARLEY_SMTP_URL) return smtpTransport(env.PARLEY_SMTP_URL);
  if (env.PARLEY_MAIL_HTTP_URL)
    return httpTransport(env.PARLEY_MAIL_HTTP_URL, env.PARLEY_MAIL_HTTP_KEY ?? '');
  return undefined;
}
