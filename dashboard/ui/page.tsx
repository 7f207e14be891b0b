import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { describeFailure, type Failure } from '../api.ts';

let firstPage = true;

/**
 * One page of the dashboard: its `<h1>` and the document title. After a navigation inside the app, focus moves to
 * the heading, so that a screen reader announces the new page and Tab starts from its top.
 */
export function Page({
  title,
  children,
  wide,
}: {
  title: string;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Parley`;
  }, [title]);
  useEffect(() => {
    if (!firstPage) heading.current?.focus();
    firstPage = false;
  }, []);
  return (
    <div class={wide ? 'page wide' : 'page'}>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}

/** A failed request in words, announced at once. Renders nothing without a failure. */
export function Alert({ failure }: { failure: Failure | null | undefined }) {
  if (!failure) return null;
  return (
    <p class="err alert" role="alert">
      {describeFailure(failure)}
    </p>
  );
}

/** Shown while the first answer of a page is on its way. */
export const Loading = () => <p class="dim">Loading…</p>;
