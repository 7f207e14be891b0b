import type { MailMessage } from './mailer.ts';

/** A message as a transport sends it: the queued message with its sender. */
export interface OutgoingMail extends MailMessage {
  from: string;
}

/**
 * What actually delivers mail: SMTP through nodemailer on Node (server/node/smtp-transport.ts), an HTTP mail API
 * anywhere `fetch` runs (http-transport.ts). `send` resolves once the message is accepted and throws otherwise;
 * the outbox retries.
 *
 * @example await transport.send({ from: 'Parley <parley@example.com>', to, subject, text, html });
 */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
}

/** Mail settings from the environment; absent when mail is off. */
export interface MailSettings {
  /** `From:` of every message, such as `Comments <comments@example.com>`. */
  from: string;
  /** Replies to one reader noted within this time of the first go out as one mail. */
  batchMs: number;
  /** First retry delay; each next one is four times longer, up to six hours. */
  retryMs: number;
}
