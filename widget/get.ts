import type { ErrorBody } from '../shared/errors.ts';
import type { Result } from './api.ts';

/**
 * A GET for the first paint of a thread: `request` (api.ts) without what only writing needs, which stays out of
 * embed.js. Never throws; cookies are never sent.
 */
export async function get<T>(url: string): Promise<Result<T>> {
  try {
    const response = await fetch(url, { credentials: 'omit' });
    const data = await response.json();
    if (response.ok) return { ok: true, value: data };
    return {
      ok: false,
      failure: (data as ErrorBody).error ?? { code: 'unavailable', message: `HTTP ${response.status}` },
    };
  } catch (error) {
    // Unreachable, or an answer that is not ours (a proxy's HTML page): the reader is offered to try again.
    return { ok: false, failure: { code: 'network', message: String(error) } };
  }
}
