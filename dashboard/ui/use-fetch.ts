import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, type Failure } from '../api.ts';

export interface Fetched<T> {
  data: T | undefined;
  failure: Failure | null;
  loading: boolean;
  reload(): void;
  /** Replaces the data in place, e.g. with what a PATCH answered. */
  set(data: T): void;
}

/**
 * GETs `path` (relative to `/admin/api`) whenever it changes; null fetches nothing. An answer to an older path is
 * dropped, so a quick change of filter never shows stale data.
 */
export function useFetch<T>(path: string | null): Fetched<T> {
  const [state, setState] = useState<{ data?: T; failure: Failure | null; loading: boolean }>({
    failure: null,
    loading: path !== null,
  });
  const [generation, setGeneration] = useState(0);
  // `generation` changes when reload() asks for the same path again.
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    void api<T>(path).then((result) => {
      if (!current) return;
      setState(
        result.ok
          ? { data: result.value, failure: null, loading: false }
          : { failure: result.failure, loading: false },
      );
    });
    return () => {
      current = false;
    };
  }, [path, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const set = useCallback((data: T) => setState({ data, failure: null, loading: false }), []);
  return { data: state.data, failure: state.failure, loading: state.loading, reload, set };
}
