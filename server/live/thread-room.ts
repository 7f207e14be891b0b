import type { LiveEvent } from '../../shared/live.ts';
import { createLiveHub, type LiveStreams } from './hub.ts';

/*
 * Live threads on Workers: every isolate is its own process, so the streams of a thread are held in one Durable
 * Object per thread (`ThreadRoom`), which the Worker forwards readers to and tells of each write. It runs the same
 * hub as a Node process, with one room.
 */

const ROOM = 'thread';
const ORIGIN = 'https://thread-room.invalid';

/** The part of a Durable Object namespace binding used here (`env.LIVE`). */
export interface RoomNamespace {
  idFromName(name: string): unknown;
  get(id: never): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/** The Durable Object holding one thread's live streams; wrangler.jsonc binds it as `LIVE`. */
export class ThreadRoom {
  readonly #hub: ReturnType<typeof createLiveHub>;

  constructor(_state: unknown, env: Record<string, unknown>) {
    const max = Number(env.PARLEY_LIVE_MAX_STREAMS);
    this.#hub = createLiveHub({
      maxStreams: Number.isInteger(max) && max > 0 ? max : 5000,
      idleRoomsKept: 1,
    });
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/publish') {
      const { version, event } = (await request.json()) as { version: number; event: LiveEvent | null };
      await this.#hub.publish(ROOM, version, event);
      return new Response(null, { status: 204 });
    }
    if (url.pathname === '/open') {
      const since = url.searchParams.get('since');
      const stream = await this.#hub.open({
        room: ROOM,
        version: Number(url.searchParams.get('version')),
        since: since === null ? undefined : Number(since),
      });
      return stream ? new Response(stream) : new Response(null, { status: 503 });
    }
    return new Response(null, { status: 404 });
  }
}

/**
 * The Worker's side: streams are opened in, and events sent to, the thread's room. Each write's event is built by
 * the isolate that made it, so the room never reads the database.
 */
export function durableLiveStreams(namespace: RoomNamespace): LiveStreams {
  const room = (name: string) => namespace.get(namespace.idFromName(name) as never);
  return {
    async open({ room: name, version, since }) {
      const query = new URLSearchParams({ version: String(version) });
      if (since !== undefined) query.set('since', String(since));
      const res = await room(name).fetch(`${ORIGIN}/open?${query}`);
      return res.ok && res.body ? res.body : undefined;
    },
    async publish(name, version, event) {
      await room(name).fetch(`${ORIGIN}/publish`, {
        method: 'POST',
        body: JSON.stringify({ version, event }),
      });
    },
    wants: () => true,
    gap() {},
    close() {},
  };
}
