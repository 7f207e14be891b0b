import { runCli } from './run.ts';
import { processIo } from './terminal.ts';

/* `npm run parley -- <command>`: the command line of server owners (see run.ts for the commands). */

process.exitCode = await runCli(process.argv.slice(2), processIo);
