/** Work done outside requests, when it is due: the mail outbox, webhook deliveries. */
export interface BackgroundTask {
  name: string;
  /** Does whatever is due now; resolves when done. Must not throw for one bad item: it logs and moves on. */
  run(): Promise<void>;
}

/**
 * The tasks of one app instance, run in turn. A run asked for while one is going is folded into one more pass
 * after it, so a burst of writes costs two passes, not one per write. Node runs them on a timer and after writes;
 * Workers from a cron trigger and after writes (`waitUntil`).
 *
 * @example
 * const background = createBackground(console.error);
 * background.add({ name: 'mail', run: () => outbox.sendDue() });
 * await background.run();
 */
export function createBackground(logError: (error: unknown) => void) {
  const tasks: BackgroundTask[] = [];
  let running: Promise<void> | undefined;
  let again = false;

  const pass = async () => {
    do {
      again = false;
      for (const task of tasks) {
        await task.run().catch(logError);
      }
    } while (again);
  };

  return {
    add(task: BackgroundTask): void {
      tasks.push(task);
    },
    /** Runs every task once, or once more after the run in progress; resolves when that pass is done. */
    run(): Promise<void> {
      if (running) {
        again = true;
        return running;
      }
      running = pass().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}

export type Background = ReturnType<typeof createBackground>;
