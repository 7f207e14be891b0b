import type { CliIo } from './io.ts';

/*
 * The command line's own terminal: password prompts without echo, standard input and output. Everything else of the
 * command line takes a CliIo, so tests can run it in process.
 */

// What was typed past the end of the line a prompt took (a pasted answer and the next one), kept for the next.
let typedAhead = '';

/** Reads one line from the terminal with echo off; Ctrl-C ends the program. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  // Echo goes off before the question shows, so an answer typed at once is not shown either.
  stdin.setRawMode(true);
  stderr.write(question);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve) => {
    let typed = '';
    const take = (chunk: string) => {
      for (let i = 0; i < chunk.length; i++) {
        const char = chunk[i] ?? '';
        if (char === '\r' || char === '\n' || char === '\u0004') {
          typedAhead = chunk.slice(i + 1).replace(/^\n/, '');
          stdin.off('data', take);
          stdin.setRawMode(false);
          stdin.pause();
          stderr.write('\n');
          resolve(typed);
          return;
        }
        if (char === '\u0003') {
          stdin.setRawMode(false);
          stderr.write('\n');
          process.exit(130);
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on('data', take);
    if (typedAhead) {
      const ahead = typedAhead;
      typedAhead = '';
      take(ahead);
    }
  });
}

/** The first line of standard input, without its line ending. */
async function readFirstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/**
 * At a terminal: says the rule first, asks again while the password is too short, then asks to repeat it (null
 * when the two differ). From a pipe: the first line, as it is (a script cannot answer a second question).
 */
async function newPassword(minLength: number): Promise<string | null> {
  if (!process.stdin.isTTY) return readFirstLine();
  const rule = `at least ${minLength} characters`;
  process.stderr.write(`Choose a password of ${rule} (it is not shown as you type).\n`);
  for (;;) {
    const password = await promptHidden('Password: ');
    if (password.length < minLength) {
      process.stderr.write(`That has ${password.length}; the password needs ${rule}. Try again.\n`);
      continue;
    }
    return (await promptHidden('Again: ')) === password ? password : null;
  }
}

/** The CliIo of the running process. */
export const processIo: CliIo = {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  newPassword,
};
