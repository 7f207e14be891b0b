import type { LiveEvent } from '../../shared/live.ts';

/** Where live streams are held: in this process (`createLiveHub`), or in a Durable Object per thread on Workers. */
export interface LiveStreams {
  /**
   * A stream of the thread's events for one reader, starting with what they missed since version `since` (the
   * thread being at `version` now); undefined when this server holds as many streams as it may.
   */
  open(input: {
    room: string;
    version: number;
    since?: number | undefined;
  }): Promise<ReadableStream<Uint8Array> | undefined>;
  /** Tells the thread's readers of the change that made it `version`; null: nothing they can see changed. */
  publish(room: string, version: number, event: LiveEvent | null): Promise<void>;
  /** Whether anyone follows the room (or did lately): only then is an event worth building. */
  wants(room: string): boolean;
  /** Changes may have been missed: every reader is told to load the thread again. */
  gap(): void;
  close(): void;
}

/** A thread's room: `site`, NUL, thread key. */
export const roomOf = (site: string, key: string) => `${site}\u0000${key}`;

export interface HubOptions {
  /** Streams this process holds at most; more are refused. */
  maxStreams: number;
  /** A comment line this often keeps proxies from closing an idle stream (nginx's default timeout is 60 s). */
  heartbeatMs?: number;
  /** Events kept per thread for readers who reconnect. */
  keptPerRoom?: number;
  /** Rooms nobody follows kept for readers who come back. */
  idleRoomsKept?: number;
}

interface Reader {
  controller: ReadableStreamDefaultController<Uint8Array>;
}

interface Room {
  readers: Set<Reader>;
  /** Recent changes by version, oldest first; null where readers saw nothing. */
  kept: Array<{ version: number; event: LiveEvent | null }>;
  /** Every change after this version is in `kept` (or on its way); Infinity after a break in the channel. */
  from: number;
}

const UTF8 = new TextEncoder();
/** A reader this many messages behind has stopped reading; it is let go and resumes from its last id. */
const BACKLOG_MAX = 256;
/** How long a reader who is owed events waits for them before being told to resync. */
const CATCH_UP_MS = 1000;
/** How soon a browser reconnects after a drop (ms), said once at the start of each stream. */
const RETRY_MS = 2000;

const message = (version: number | undefined, event: LiveEvent | null) =>
  `${version === undefined ? '' : `id: ${version}\n`}${event ? `data: ${JSON.stringify(event)}\n` : ''}\n`;

/**
 * Live streams held in this process, by thread. Each change is sent to the thread's readers and kept for a while,
 * so a reader who reconnects with the last id it saw gets exactly what it missed, or, when that is no longer known
 * here (kept too briefly, another instance, a restart, a break in the change channel), `resync`.
 *
 * @example
 * const hub = createLiveHub({ maxStreams: 5000 });
 * const stream = await hub.open({ room: roomOf('default', key), version: 7, since: 5 });
 */
export function createLiveHub({
  maxStreams,
  heartbeatMs = 25_000,
  keptPerRoom = 100,
  idleRoomsKept = 500,
}: HubOptions): LiveStreams & { readonly size: number } {
  const rooms = new Map<string, Room>();
  const idle = new Set<string>();
  let size = 0;

  const send = (reader: Reader, chunk: Uint8Array) => {
    try {
      if ((reader.controller.desiredSize ?? 0) < -BACKLOG_MAX) throw new Error('reader fell behind');
      reader.controller.enqueue(chunk);
    } catch {
      drop(reader);
    }
  };

  const leaveRoom = (name: string, room: Room, reader: Reader) => {
    if (!room.readers.delete(reader)) return;
    size--;
    if (room.readers.size > 0) return;
    idle.add(name);
    if (idle.size > idleRoomsKept) {
      const oldest = idle.values().next().value as string;
      idle.delete(oldest);
      rooms.delete(oldest);
    }
  };
  const where = new Map<Reader, string>();
  const drop = (reader: Reader) => {
    const name = where.get(reader);
    where.delete(reader);
    const room = name === undefined ? undefined : rooms.get(name);
    if (name !== undefined && room) leaveRoom(name, room, reader);
    try {
      reader.controller.close();
    } catch {
      // Already closed or cancelled by the reader.
    }
  };

  const heartbeat = setInterval(() => {
    const beat = UTF8.encode(':\n\n');
    for (const reader of where.keys()) send(reader, beat);
  }, heartbeatMs);
  (heartbeat as { unref?: () => void }).unref?.();

  /**
   * The kept events after `since`, when they follow on from it without a hole, and the newest version they reach;
   * undefined when some were never kept here.
   */
  const missed = (room: Room, since: number) => {
    if (since < room.from) return undefined;
    const after = room.kept.filter((entry) => entry.version > since);
    let reached = since;
    for (const entry of after) {
      if (entry.version > reached + 1) return undefined;
      reached = Math.max(reached, entry.version);
    }
    return { events: after, reached };
  };

  /**
   * The reader's database read may be ahead of the events that reach this instance (a notification follows its
   * write by a moment): it waits that long for them, then is told to resync.
   */
  const awaitVersion = (room: Room, reader: Reader, version: number) => {
    const timer = setTimeout(() => {
      const newest = room.kept.at(-1)?.version ?? 0;
      if (newest < version && where.has(reader))
        send(reader, UTF8.encode(message(undefined, { type: 'resync' })));
    }, CATCH_UP_MS);
    (timer as { unref?: () => void }).unref?.();
  };

  return {
    get size() {
      return size;
    },
    async open({ room: name, version, since }) {
      if (size >= maxStreams) return undefined;
      let room = rooms.get(name);
      if (!room) {
        room = { readers: new Set(), kept: [], from: version };
        rooms.set(name, room);
      }
      idle.delete(name);
      const joined = room;
      let reader: Reader | undefined;
      return new ReadableStream<Uint8Array>({
        start(controller) {
          reader = { controller };
          joined.readers.add(reader);
          where.set(reader, name);
          size++;
          let opening = `retry: ${RETRY_MS}\n\n`;
          const found = since === undefined ? undefined : missed(joined, since);
          if (since === undefined) opening += message(version, null);
          else if (!found || since > Math.max(version, found.reached)) {
            opening += message(version, { type: 'resync' });
          } else {
            for (const entry of found.events) opening += message(entry.version, entry.event);
            if (found.events.length === 0) opening += message(since, null);
            if (found.reached < version) awaitVersion(joined, reader, version);
          }
          controller.enqueue(UTF8.encode(opening));
        },
        cancel() {
          if (reader) drop(reader);
        },
      });
    },
    async publish(name, version, event) {
      const room = rooms.get(name);
      if (!room) return;
      // Usually the newest; a notification may overtake another, so it goes in its place.
      let at = room.kept.length;
      while (at > 0 && (room.kept[at - 1]?.version ?? 0) > version) at--;
      room.kept.splice(at, 0, { version, event });
      if (room.from === Number.POSITIVE_INFINITY) room.from = version - 1;
      if (room.kept.length > keptPerRoom) room.from = room.kept.shift()?.version ?? room.from;
      const chunk = UTF8.encode(message(version, event));
      for (const reader of room.readers) send(reader, chunk);
    },
    wants: (name) => rooms.has(name),
    gap() {
      const chunk = UTF8.encode(message(undefined, { type: 'resync' }));
      for (const room of rooms.values()) {
        room.kept = [];
        room.from = Number.POSITIVE_INFINITY;
        for (const reader of room.readers) send(reader, chunk);
      }
    },
    close() {
      clearInterval(heartbeat);
      for (const reader of [...where.keys()]) drop(reader);
      rooms.clear();
      idle.clear();
    },
  };
}
