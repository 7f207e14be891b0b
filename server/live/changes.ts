import type { CommentEvent } from '../events.ts';
import type { CommentRow } from '../store/schema.ts';

/**
 * Something readers of a thread can see changed: what instances tell each other, so that each drops the version it
 * kept and tells its open streams. Small enough for a PostgreSQL notification (8,000 bytes): ids, never text.
 */
export interface ThreadChange {
  site: string;
  /** The thread's key (`example.com/posts/a`); empty for a change of the whole site. */
  key: string;
  /** The thread's id; empty for a change of the whole site. */
  thread: string;
  /** The thread's version after the change; 0 when not known. */
  version: number;
  /** A comment event's type; `thread` for its title or lock, `site` for the site's settings. */
  type: CommentEvent['type'] | 'thread' | 'site';
  /** The comment concerned, for comment events. */
  comment?: string;
}

/**
 * Told of every change, with the comment row when the change was made by this instance. Work it returns is waited
 * for by `publish`, so that a Worker keeps running until it is done.
 */
export type ChangeListener = (change: ThreadChange, row?: CommentRow) => void | Promise<void>;

/**
 * How the instances serving one database tell each other of changes: `publish` reaches every subscriber of every
 * instance, this one included (at once, before any other). Implementations: `inProcessChanges` for one instance,
 * PostgreSQL's LISTEN/NOTIFY for several (server/node/pg-changes.ts).
 *
 * @example
 * const changes = inProcessChanges();
 * changes.subscribe((change) => console.log(change.type, change.comment));
 * await changes.publish({ site: 'default', key: 'example.com/a', thread: 't1', version: 3, type: 'created', comment: 'c1' });
 */
export interface ThreadChanges {
  publish(change: ThreadChange, row?: CommentRow): Promise<void>;
  /** Adds a listener; the returned function removes it. */
  subscribe(listener: ChangeListener): () => void;
  /**
   * Since when every other instance's changes have been reaching this one without a break (epoch ms); undefined
   * while they may not be. A version read after this time stays current until a change says otherwise.
   */
  trustedSince(): number | undefined;
  /** How long a version read may be reused while changes cannot be trusted; 0: read it every time. */
  readonly fallbackTtlMs: number;
  /** A break in the channel: changes may have been missed, so followers start over (live streams resync). */
  onGap(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Calls every listener, each shielded from the others' failures. */
export function createFanOut(logError: (error: unknown) => void) {
  const listeners = new Set<ChangeListener>();
  return {
    add(listener: ChangeListener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async tell(change: ThreadChange, row?: CommentRow): Promise<void> {
      const work = [...listeners].map((listener) =>
        Promise.resolve()
          .then(() => listener(change, row))
          .catch(logError),
      );
      await Promise.all(work);
    },
  };
}

/**
 * Changes within one process. Nothing else can be told, so versions are never trusted past the request that read
 * them: on SQLite another process (the command line's import) may write to the same file unseen.
 */
export function inProcessChanges(logError: (error: unknown) => void = console.error): ThreadChanges {
  const fanOut = createFanOut(logError);
  return {
    publish: fanOut.tell,
    subscribe: fanOut.add,
    trustedSince: () => undefined,
    fallbackTtlMs: 0,
    onGap: () => () => {},
    async close() {},
  };
}
