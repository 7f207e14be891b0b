/**
 * Every error the API answers with has this body, whatever the status:
 * `{ "error": { "code": "invalid_input", "message": "…", "fields": { "body": "Required" } } }`.
 */
export const ERROR_CODES = [
  'bad_request',
  'headers_too_large',
  'request_timeout',
  'invalid_json',
  'invalid_input',
  'not_found',
  'unauthorized',
  'csrf',
  'conflict',
  'origin_not_allowed',
  'banned',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'forbidden',
  'edit_window_closed',
  'thread_locked',
  /** A link from a mail that has expired or was used. */
  'link_spent',
  'unavailable',
  'mail_off',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** Field name (dotted for nested fields) to a message a reader can act on. */
    fields?: Record<string, string>;
  };
}
