import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AdminCommentsPage, AdminCommentsQuery } from '../../shared/admin-schemas.ts';
import { api, type Failure, query } from '../api.ts';
import type { ModComment } from './types.ts';

/** Comments per request: one screenful to moderate, never the whole set. */
const PAGE_SIZE = 50;

export interface CommentPages {
  comments: ModComment[];
  setComments: (next: ModComment[]) => void;
  /** False once the first page has answered. */
  loading: boolean;
  /** A further page is on its way. */
  loadingMore: boolean;
  hasMore: boolean;
  failure: Failure | null;
  loadMore: () => void;
}

/**
 * The comments matching a filter, newest first, one page of PAGE_SIZE at a time (keyset: each page starts after
 * the previous page's `nextCursor`). When moderation empties the loaded comments, the next page comes by itself.
 */
export function useCommentPages(filter: Omit<AdminCommentsQuery, 'cursor' | 'limit'>): CommentPages {
  const path = `/comments${query({ ...filter, limit: PAGE_SIZE })}`;
  const [comments, setComments] = useState<ModComment[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  // Answers to a filter that is no longer shown are dropped.
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    setComments([]);
    void api<AdminCommentsPage>(path).then((result) => {
      if (mine !== generation.current) return;
      setLoading(false);
      if (!result.ok) return setFailure(result.failure);
      setFailure(null);
      setComments(result.value.comments);
      setCursor(result.value.nextCursor);
    });
  }, [path]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    void api<AdminCommentsPage>(`${path}&cursor=${encodeURIComponent(cursor)}`).then((result) => {
      if (mine !== generation.current) return;
      setLoadingMore(false);
      if (!result.ok) return setFailure(result.failure);
      setFailure(null);
      setComments((before) => {
        const have = new Set(before.map((comment) => comment.id));
        return [...before, ...result.value.comments.filter((comment) => !have.has(comment.id))];
      });
      setCursor(result.value.nextCursor);
    });
  }, [path, cursor, loadingMore]);

  useEffect(() => {
    if (!loading && comments.length === 0 && cursor) loadMore();
  }, [loading, comments.length, cursor, loadMore]);

  return { comments, setComments, loading, loadingMore, hasMore: cursor !== null, failure, loadMore };
}
