import type { ComponentChildren } from 'preact';

/** The frame of the pages shown before sign-in: the name, and the page in a narrow column. */
export function Bare({ children }: { children: ComponentChildren }) {
  return (
    <div class="bare">
      <p class="brand">Parley</p>
      <main id="main">{children}</main>
    </div>
  );
}
