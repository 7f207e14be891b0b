/** What the command line needs from its surroundings: the environment, output, and a way to get a new password. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
  /** A new password of at least `minLength` characters, or null when it was mistyped the second time. */
  newPassword(minLength: number): Promise<string | null>;
}

/** A mistake of the person at the keyboard: printed as is, exit status 1. */
export class UsageError extends Error {}
