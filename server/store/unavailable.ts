import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/**
 * The store cannot be reached right now (connection refused or lost, a timeout, a lock held past its wait, a
 * read-only file): the request may succeed later unchanged. The app answers 503 with Retry-After; nothing is logged
 * per request, since the outage log has said it once.
 */
export class StoreUnavailableError extends Error {
  constructor(
    /** The driver's own words, for the log. */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`The database is unreachable: ${reason}`, options);
    this.name = 'StoreUnavailableError';
  }
}

/** Decides whether a driver error means "unreachable"; returns the reason to log, or undefined for any other error. */
/**
 * A logger for work done outside requests (followers of writes, outboxes) that stays quiet about an outage: the
 * outage log says once that the database went and once that it is back, and a line per failed task would bury it.
 */
export const logUnlessOutage =
  (logError: (error: unknown) => void) =>
  (error: unknown): void => {
    if (!(error instanceof StoreUnavailableError)) logError(error);
  };

export type UnavailableClassifier = (error: unknown) => string | undefined;

/** Up or down, as last seen by queries; says so once per change of state. */
export interface OutageLog {
  down(reason: string): void;
  up(): void;
}

/** How long queries must go without an "unreachable" failure before the database counts as back. */
const OUTAGE_QUIET_MS = 1000;

/**
 * One line when the database stops answering and one when it is back, however many requests fail in between. It
 * is back at the first success `quietMs` after the last failure, so a database that answers reads but refuses
 * writes (a SQLite write lock, a PostgreSQL standby) is one outage rather than two lines per request.
 *
 * @example const outages = outageLog(); outages.down('connect ECONNREFUSED'); outages.down('again'); // one line
 */
export function outageLog(
  log: (line: string) => void = (line) => console.error(line),
  quietMs = OUTAGE_QUIET_MS,
): OutageLog {
  let down = false;
  let lastFailure = 0;
  return {
    down(reason) {
      lastFailure = Date.now();
      if (down) return;
      down = true;
      log(`[parley] database unreachable: ${reason}`);
    },
    up() {
      if (!down || Date.now() - lastFailure < quietMs) return;
      down = false;
      log('[parley] database back');
    },
  };
}

/** How a driver's outcome reaches the outage log and its caller: for `guardDialect`, and for code that runs statements beside Kysely. */
export interface DriverOutcomes {
  /** The error a caller gets for a driver error: `StoreUnavailableError` for an outage, else the error itself. */
  failure: (error: unknown) => unknown;
  /** Told that the database answered. */
  answered: () => void;
}

export function driverOutcomes(classify: UnavailableClassifier, outages: OutageLog): DriverOutcomes {
  return {
    failure(error) {
      const reason = classify(error);
      if (reason === undefined) {
        // Any answer from the database, an error of ours included, means it is reachable.
        outages.up();
        return error;
      }
      outages.down(reason);
      return new StoreUnavailableError(reason, { cause: error });
    },
    answered: () => outages.up(),
  };
}

/**
 * Wraps a Kysely dialect so that every driver error the classifier recognizes is thrown as a
 * `StoreUnavailableError`, and every outcome tells the outage log whether the database answered. Runtime-specific
 * knowledge stays in the classifier, given by whoever opens the database.
 *
 * @example new Kysely<Database>({ dialect: guardDialect(new PostgresDialect({ pool }), pgUnavailable) })
 */
export function guardDialect(
  dialect: Dialect,
  classify: UnavailableClassifier,
  outages: OutageLog = outageLog(),
): Dialect {
  const outcomes = driverOutcomes(classify, outages);
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      const result = await run();
      outcomes.answered();
      return result;
    } catch (error) {
      throw outcomes.failure(error);
    }
  };

  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => guardDriver(dialect.createDriver(), guard),
  };
}

type Guard = <T>(run: () => Promise<T>) => Promise<T>;

/** The driver, its connections wrapped; the inner driver is always handed its own connection objects back. */
function guardDriver(driver: Driver, guard: Guard): Driver {
  const inner = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const unwrap = (connection: DatabaseConnection) => inner.get(connection) ?? connection;
  // One wrapper per connection, made once: SQLite hands out the same connection for every query, and a new wrapper
  // (and WeakMap entry) for each was garbage on every query.
  const outer = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const wrap = (connection: DatabaseConnection): DatabaseConnection => {
    const known = outer.get(connection);
    if (known) return known;
    const wrapped: DatabaseConnection = {
      executeQuery: <R>(query: CompiledQuery) => guard(() => connection.executeQuery<R>(query)),
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number) =>
        guardStream(connection.streamQuery<R>(query, chunkSize), guard),
    };
    inner.set(wrapped, connection);
    outer.set(connection, wrapped);
    return wrapped;
  };
  type Compile = QueryCompiler['compileQuery'];

  return {
    init: () => guard(() => driver.init()),
    acquireConnection: () => guard(async () => wrap(await driver.acquireConnection())),
    beginTransaction: (connection, settings: TransactionSettings) =>
      guard(() => driver.beginTransaction(unwrap(connection), settings)),
    commitTransaction: (connection) => guard(() => driver.commitTransaction(unwrap(connection))),
    rollbackTransaction: (connection) => guard(() => driver.rollbackTransaction(unwrap(connection))),
    ...(driver.savepoint && {
      savepoint: (connection: DatabaseConnection, name: string, compile: Compile) =>
        guard(async () => driver.savepoint?.(unwrap(connection), name, compile)),
    }),
    ...(driver.rollbackToSavepoint && {
      rollbackToSavepoint: (connection: DatabaseConnection, name: string, compile: Compile) =>
        guard(async () => driver.rollbackToSavepoint?.(unwrap(connection), name, compile)),
    }),
    ...(driver.releaseSavepoint && {
      releaseSavepoint: (connection: DatabaseConnection, name: string, compile: Compile) =>
        guard(async () => driver.releaseSavepoint?.(unwrap(connection), name, compile)),
    }),
    releaseConnection: (connection) => driver.releaseConnection(unwrap(connection)),
    destroy: () => driver.destroy(),
  };
}

async function* guardStream<R>(
  rows: AsyncIterableIterator<QueryResult<R>>,
  guard: Guard,
): AsyncIterableIterator<QueryResult<R>> {
  const iterator = rows[Symbol.asyncIterator]();
  try {
    while (true) {
      const next = await guard(() => iterator.next());
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}
