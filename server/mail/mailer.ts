/** One message, ready to send: both parts, in the recipient's language. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, such as `List-Unsubscribe`. */
  headers?: Record<string, string>;
}

/**
 * Where the app hands mail. `enqueue` stores the message in the database's outbox and returns; sending happens in
 * the background, with retries, so no request waits on a mail server. It goes out at the next background run: ask
 * for one (`ctx.background.run()`, kept alive on Workers with `waitUntil`) to send it now rather than at the next
 * tick (15 s on Node, a minute on Workers). Implemented over the `mail_outbox` table by mail/outbox.ts.
 *
 * @example
 * await ctx.mailer?.enqueue({ to, subject, text, html }); // nothing happens when mail is off
 */
export interface Mailer {
  enqueue(message: MailMessage): Promise<void>;
}
