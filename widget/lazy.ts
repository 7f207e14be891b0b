import { Component, type ComponentChildren } from 'preact';

/*
 * Code that the first paint of a thread does not need (posting, editing, preview, and any module that adds to the
 * widget later: votes, the live stream...) lives in chunks loaded after that paint, from the Parley server that
 * served embed.js (the build resolves `import()` against the script's own `src`; see classicEntry in
 * vite.config.ts). A module is made lazy by importing it only through `later`:
 *
 *   const votes = later(() => import('./votes.tsx'));
 *   votes().then(({ countVote }) => countVote(id));                  // code
 *   <Later load={votes} render={({ Votes }) => <Votes id={id} />} />   // a component, once loaded
 *
 * A static `import` of such a module anywhere in the core would pull it back into embed.js, over its budget
 * (tests/widget/size.test.ts says so).
 */

export interface Loader<T> {
  (): Promise<T>;
  /** The module, once loaded: a component that finds it here renders it at once, with no empty first frame. */
  value?: T;
}

/** Loads a chunk once, on first call; a failed load (offline) is tried again on the next call. */
export function later<T>(load: () => Promise<T>): Loader<T> {
  let pending: Promise<T> | undefined;
  const loader: Loader<T> = () => {
    pending ??= load().then(
      (value) => {
        loader.value = value;
        return value;
      },
      (error) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
  return loader;
}

/** Runs `task` once the browser has painted the current frame. */
export const afterPaint = (task: () => void): void => {
  requestAnimationFrame(() => setTimeout(task));
};

interface LaterProps<T> {
  load: Loader<T>;
  render(module: T): ComponentChildren;
  /** Shown until the chunk is in; nothing by default. */
  fallback?: ComponentChildren;
}

/** Renders what a lazily loaded module gives, once it is loaded, after the first paint. */
export class Later<T> extends Component<LaterProps<T>> {
  override componentDidMount() {
    const { load } = this.props;
    if (!load.value) afterPaint(() => load().then(() => this.forceUpdate(), warnChunk));
  }

  override render({ load, render, fallback }: LaterProps<T>) {
    return load.value ? render(load.value) : (fallback ?? null);
  }
}

/** A chunk that did not load: the page still reads, and the console says why. */
export const warnChunk = (error: unknown): void => {
  console.warn(`[parley] Part of the widget did not load: ${error}`);
};
