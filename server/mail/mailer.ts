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
 * the background, with retries, so no request waits on a mail server.
 */
export interface Mailer {
  enqueue(message: MailMessage): Promise<void>;
}
