import { describe, expect, it } from 'vitest';
import { pgUnavailable, sqliteUnavailable } from '../../server/node/database-errors.ts';
import { d1Unavailable } from '../../server/store/d1-dialect.ts';

/** An error as the drivers make them: a message, and a code where they set one. */
const driverError = (message: string, code?: string) =>
  Object.assign(new Error(message), code ? { code } : {});

describe('which driver errors mean the database is unreachable', () => {
  it('on PostgreSQL: refused, lost or timed-out connections and shutdowns, not our own mistakes', () => {
    expect(pgUnavailable(driverError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBeDefined();
    expect(pgUnavailable(driverError('Connection terminated unexpectedly'))).toBeDefined();
    expect(pgUnavailable(driverError('timeout exceeded when trying to connect'))).toBeDefined();
    expect(
      pgUnavailable(driverError('terminating connection due to administrator command', '57P01')),
    ).toBeDefined();
    expect(pgUnavailable(driverError('the database system is starting up', '57P03'))).toBeDefined();
    const refused = new AggregateError([driverError('connect ECONNREFUSED ::1:5432')], '');
    expect(pgUnavailable(Object.assign(refused, { code: 'ECONNREFUSED' }))).toBe(
      'connect ECONNREFUSED ::1:5432',
    );

    expect(
      pgUnavailable(driverError('duplicate key value violates unique constraint', '23505')),
    ).toBeUndefined();
    expect(pgUnavailable(driverError('relation "comments" does not exist', '42P01'))).toBeUndefined();
  });

  it('on SQLite: busy, locked, read-only, I/O and full-disk errors only', () => {
    expect(sqliteUnavailable(driverError('database is locked', 'SQLITE_BUSY'))).toBeDefined();
    expect(
      sqliteUnavailable(driverError('attempt to write a readonly database', 'SQLITE_READONLY')),
    ).toBeDefined();
    expect(sqliteUnavailable(driverError('disk I/O error', 'SQLITE_IOERR_WRITE'))).toBeDefined();
    expect(
      sqliteUnavailable(driverError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE')),
    ).toBeUndefined();
  });

  it('on D1: the errors its documentation says to retry', () => {
    expect(d1Unavailable(driverError('D1_ERROR: Network connection lost.'))).toBeDefined();
    expect(
      d1Unavailable(driverError('D1_ERROR: Internal error in D1 DB storage caused object to be reset.')),
    ).toBeDefined();
    expect(d1Unavailable(driverError('D1 DB is overloaded. Requests queued for too long.'))).toBeDefined();
    expect(d1Unavailable(driverError('D1_ERROR: UNIQUE constraint failed: comments.id'))).toBeUndefined();
  });
});
