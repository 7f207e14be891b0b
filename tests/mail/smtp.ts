import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the test SMTP server received it, parsed. */
export interface Received {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  headers: ParsedMail['headers'];
  /** The raw message, as it came over the wire. */
  raw: string;
}

export const SMTP_USER = 'parley';
export const SMTP_PASS = 'mail-secret';

/**
 * A real SMTP server on loopback (the `smtp-server` package) that requires a login and keeps what it receives.
 * `down()` stops listening; `up()` listens again on the same port, for retry tests.
 */
export async function startSmtp(port = 0) {
  const inbox: Received[] = [];
  const waiters: Array<() => void> = [];
  const make = () =>
    new SMTPServer({
      authOptional: false,
      // Loopback, no certificate: plain SMTP with a login, as `smtp://user:pass@host` asks.
      hideSTARTTLS: true,
      allowInsecureAuth: true,
      logger: false,
      // The app keeps its connections open (a pool): closing cuts them after this instead of waiting 30 s.
      closeTimeout: 100,
      onAuth(auth, _session, callback) {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASS)
          callback(null, { user: auth.username });
        else callback(new Error('Invalid login'));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then((mail) => {
            inbox.push({
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              headers: mail.headers,
              raw,
            });
            for (const wake of waiters.splice(0)) wake();
            callback();
          }, callback);
        });
      },
    });
  let server = make();
  const listen = () =>
    new Promise<number>((resolve) =>
      server.listen(port, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port)),
    );
  port = await listen();
  return {
    port,
    url: `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${port}`,
    inbox,
    /** Resolves with the messages `match` picks once there are `count` of them, or rejects after `ms`. */
    async waitFor(match: (message: Received) => boolean, count = 1, ms = 10_000): Promise<Received[]> {
      const until = Date.now() + ms;
      for (;;) {
        const found = inbox.filter(match);
        if (found.length >= count) return found;
        if (Date.now() > until)
          throw new Error(`${found.length} of ${count} messages arrived within ${ms} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    down: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async up() {
      server = make();
      await listen();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpServer = Awaited<ReturnType<typeof startSmtp>>;

/** The links of a message's text part that lead to a mail page. */
export function mailLinks(message: Received): string[] {
  return [...message.text.matchAll(/https?:\/\/\S+\/mail\/\w+\?t=[0-9a-z.]+/g)].map(([url]) => url);
}
