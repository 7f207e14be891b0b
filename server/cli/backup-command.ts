import { backupSqlite, restoreSqlite, sqlitePath } from '../node/backup.ts';
import { DEFAULT_DATABASE_URL } from '../node/database.ts';
import { type CliIo, UsageError } from './io.ts';

/*
 * `npm run parley -- backup FILE` and `restore FILE`: the SQLite database the server uses (DATABASE_URL), copied
 * while it runs, and put back while it is stopped.
 */

export const BACKUP_HELP = `  backup FILE                         a consistent copy of the SQLite database, while the server runs
  restore FILE                        put a backup in place of the SQLite database (stop the server first)
`;

export async function runBackupCommand(command: 'backup' | 'restore', argv: readonly string[], io: CliIo) {
  const [file, ...extra] = argv;
  if (!file || file.startsWith('-')) throw new UsageError(`Name the file, e.g. ${command} parley-backup.db`);
  if (extra.length > 0) throw new UsageError(`One file at a time (also given: ${extra.join(' ')}).`);
  let database: string;
  try {
    database = sqlitePath(io.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const done =
    command === 'backup' ? await backupSqlite(database, file) : await restoreSqlite(file, database);
  const what =
    command === 'backup' ? `Backed up ${database} to ${file}` : `Restored ${file} into ${database}`;
  io.out(`${what}: ${done.comments} comments, ${done.pages} pages.\n`);
  return 0;
}
