/** One answer as a client saw it, with how long it took. */
export interface Answer {
  status: number;
  ms: number;
  contentType: string | null;
  retryAfter: string | null;
  body: unknown;
}

const CLIENT_TIMEOUT_MS = 15_000;

/** A request that never throws: a network failure or a client-side timeout is status 0. */
export async function timedRequest(url: string, init: RequestInit = {}): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return {
      status: res.status,
      ms: performance.now() - started,
      contentType: res.headers.get('content-type'),
      retryAfter: res.headers.get('retry-after'),
      body,
    };
  } catch (error) {
    const ms = performance.now() - started;
    return { status: 0, ms, contentType: null, retryAfter: null, body: String(error) };
  }
}

/** A comment on `url`, posted as the widget does. */
export function postComment(origin: string, url: string, body: string): Promise<Answer> {
  return timedRequest(`${origin}/api/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ url, name: 'Load', body }),
  });
}

/**
 * `workers` clients each sending `next()` one after another until `until()` is true; every answer is kept, in order
 * of arrival.
 */
export async function load(
  workers: number,
  next: (worker: number, n: number) => Promise<Answer>,
  until: () => boolean,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let n = 0; !until(); n++) answers.push(await next(worker, n));
    }),
  );
  return answers;
}

/** The id of a posted comment, from a 201 answer. */
export function postedId(answer: Answer): string | undefined {
  const body = answer.body as { comment?: { id?: string } } | undefined;
  return answer.status === 201 ? body?.comment?.id : undefined;
}
