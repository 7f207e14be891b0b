import { DEFAULT_DATABASE_URL } from '../node/database.ts';
import { ADMIN_HELP, MIN_PASSWORD, runAdminCommand } from './admin-command.ts';
import { BACKUP_HELP, runBackupCommand } from './backup-command.ts';
import { PORTABLE_HELP, runPortableCommand } from './import-command.ts';
import { type CliIo, UsageError } from './io.ts';

const HELP = `Usage: npm run parley -- <command> [options]   (from a build: node dist/server/parley.js <command>)

Commands:
${ADMIN_HELP}${PORTABLE_HELP}${BACKUP_HELP}  --help                              show this help

Passwords need at least ${MIN_PASSWORD} characters. At a terminal the password is asked twice (not shown as you
type); otherwise it is read as one line from standard input:  printf '%s\\n' "$PASSWORD" | npm run parley -- admin create --email E

Environment:
  DATABASE_URL                 file:PATH (SQLite) or postgres://… (default: ${DEFAULT_DATABASE_URL})
  PARLEY_PASSWORD_ITERATIONS   PBKDF2 iterations for new password hashes (default: 600000)

Exit status: 0 done, 1 a usage or validation error, 2 the database failed.
`;

/**
 * The `parley` command line: runs one command and answers its exit status, never throwing.
 *
 * @example process.exitCode = await runCli(process.argv.slice(2), processIo);
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(HELP);
    return command === undefined ? 1 : 0;
  }
  try {
    if (command === 'import' || command === 'export') return await runPortableCommand(argv);
    if (command === 'backup' || command === 'restore') return await runBackupCommand(command, rest, io);
    if (command === 'admin') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.out(HELP);
        return 0;
      }
      return await runAdminCommand(rest, io);
    }
    throw new UsageError(`Unknown command "${argv.join(' ')}". See --help.`);
  } catch (error) {
    const usage =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
    io.err(`parley: ${error instanceof Error ? error.message : String(error)}\n`);
    return usage ? 1 : 2;
  }
}
