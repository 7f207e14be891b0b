import { existsSync, renameSync, rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';

/*
 * Backups of a SQLite database while the server runs: SQLite's online backup API copies a consistent snapshot
 * while the server's writes go on (a plain file copy of a WAL database can tear).
 * PostgreSQL has pg_dump for this.
 */

export interface BackupResult {
  /** Pages copied; a page is 4 KiB unless the database says otherwise. */
  pages: number;
  comments: number;
}

/** The path of a `file:` DATABASE_URL, or an error naming what to use instead. */
export function sqlitePath(databaseUrl: string): string {
  if (!databaseUrl.startsWith('file:')) {
    throw new Error(
      'backup and restore work on SQLite files; for PostgreSQL use pg_dump and pg_restore (see the README)',
    );
  }
  return databaseUrl.slice('file:'.length);
}

/** Refuses a file that is not a sound Parley database, saying why. */
function checkParleyDatabase(db: SQLite.Database, label: string): number {
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') throw new Error(`${label} fails SQLite's integrity check: ${String(integrity)}`);
  const table = db
    .prepare("select name from sqlite_master where type = 'table' and name = 'parley_migrations'")
    .get();
  if (!table) throw new Error(`${label} is not a Parley database (it has no parley_migrations table)`);
  const row = db.prepare('select count(*) as n from comments').get() as { n: number };
  return row.n;
}

/**
 * Writes a consistent copy of the live database at `source` into `destination` (which must not exist yet), then
 * checks the copy. Safe while the server runs and writes.
 *
 * @example
 * await backupSqlite('./data/parley.db', './backups/parley-2026-11-30.db');
 */
export async function backupSqlite(source: string, destination: string): Promise<BackupResult> {
  if (!existsSync(source)) throw new Error(`There is no database at ${source}`);
  if (existsSync(destination)) throw new Error(`${destination} exists already; name a new file`);
  const live = new SQLite(source, { readonly: true, fileMustExist: true });
  const partial = `${destination}.partial`;
  try {
    // All remaining pages in one step: SQLite restarts a stepwise backup whenever another connection writes, so
    // under steady writes small steps would never finish. One step reads one WAL snapshot and blocks no writer.
    const { totalPages } = await live.backup(partial, { progress: ({ totalPages: all }) => all });
    const copy = new SQLite(partial, { fileMustExist: true });
    let comments: number;
    try {
      // A backup is a single file: no WAL beside it to lose when it is moved or copied.
      copy.pragma('journal_mode = DELETE');
      comments = checkParleyDatabase(copy, 'The backup');
    } finally {
      copy.close();
    }
    renameSync(partial, destination);
    return { pages: totalPages, comments };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    live.close();
  }
}

/**
 * Puts the backup at `backup` in place of the database at `target`, through SQLite's backup API so that the
 * target's own WAL and locks are respected. Stop the server first: a running server would keep pages of the
 * database it had in its cache.
 */
export async function restoreSqlite(backup: string, target: string): Promise<BackupResult> {
  if (!existsSync(backup)) throw new Error(`There is no backup at ${backup}`);
  const source = new SQLite(backup, { readonly: true, fileMustExist: true });
  try {
    const comments = checkParleyDatabase(source, 'The backup');
    const { totalPages } = await source.backup(target);
    return { pages: totalPages, comments };
  } finally {
    source.close();
  }
}
