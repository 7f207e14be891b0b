import { browserKey } from './identity.ts';

/**
 * What a post with an email adds: this browser's key (a confirmed email marks its later comments "verified"),
 * and, when the reader ticked "Email me replies", the request and their language for the mails.
 */
export const notifyFields = (email: string, notify: boolean, lang: string) =>
  email.trim() ? { browserKey: browserKey(), ...(notify && { notify, lang }) } : {};
