import type { ComponentChildren } from 'preact';

/** The frame of the pages shown before sign-in: the name (a banner landmark), and the page in a narrow column. */
export function Bare({ children }: { children: ComponentChildren }) {
  return (
    <div class="bare">
      <header class="brand">Parley</header>
      <main id="main">{children}</main>
    </div>
  );
}
