import type { UnavailableClassifier } from '../store/unavailable.ts';

/** Socket errors: the server is down, restarting, or the network between us is. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs that mean "not now" rather than "not this query" (postgresql.org/docs/current/errcodes-appendix):
 * class 08 connection exceptions; 57P01-57P03 shutdown, crash and start-up; 53300 too many connections; 57014 a
 * statement cancelled by statement_timeout; 25006 a read-only standby after a failover.
 */
const PG_STATES = /^(08...|57P0[123]|53300|57014|25006)$/;

/** What node-postgres and pg-pool say when a connection is lost, never made, or timed out on our side. */
const PG_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Query read timeout|Connection ended/i;

function fields(error: unknown): { code: string; message: string } {
  if (!(error instanceof Error)) return { code: '', message: String(error) };
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  // Connecting to a name with several addresses fails with an AggregateError whose own message is empty.
  const first =
    error instanceof AggregateError && error.errors[0] instanceof Error ? error.errors[0] : undefined;
  return { code, message: error.message || first?.message || code };
}

/** node-postgres and pg-pool errors that mean the database cannot be reached right now. */
export const pgUnavailable: UnavailableClassifier = (error) => {
  const { code, message } = fields(error);
  if (SOCKET_CODES.has(code) || PG_STATES.test(code) || PG_MESSAGES.test(message)) return message;
  return undefined;
};

/**
 * better-sqlite3 errors that mean the file cannot be used right now: locked by another connection past
 * busy_timeout, read-only, unreadable, or its disk full. Constraint and syntax errors are ours, not an outage.
 */
export const sqliteUnavailable: UnavailableClassifier = (error) => {
  const { code, message } = fields(error);
  return /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|CANTOPEN|FULL|PROTOCOL)/.test(code)
    ? `${message} (${code})`
    : undefined;
};
