import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin, UserConfig } from 'vite';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * Ships the static files that go with the widget: the demo blog page (served at `/` by the Node server) and the
 * optional translations the widget fetches from its own origin (`/i18n/<lang>.json`).
 */
function staticFiles(): Plugin {
  const folders: Array<[from: string, to: string]> = [
    ['demo', 'demo'],
    ['widget/i18n', 'i18n'],
  ];
  return {
    name: 'parley-static-files',
    apply: 'build',
    generateBundle() {
      // Workers compress at their edge and run their own entry: the .br and .gz copies and the Node server stay home.
      this.emitFile({ type: 'asset', fileName: '.assetsignore', source: '*.br\n*.gz\nserver/\n' });
      for (const [from, to] of folders) {
        for (const name of readdirSync(from)) {
          this.emitFile({
            type: 'asset',
            fileName: `${to}/${name}`,
            source: readFileSync(`${from}/${name}`),
          });
        }
      }
    },
  };
}

const COMPRESSIBLE = /\.(js|css|json|html|svg|txt)$/;

/**
 * Writes a brotli (`.br`, quality 11) and a gzip (`.gz`, level 9) copy beside every compressible file of a build,
 * once, so the server sends them by `Accept-Encoding` without compressing anything per request.
 */
function precompress(): Plugin {
  return {
    name: 'parley-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist';
      for (const fileName of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(fileName)) continue;
        const path = join(dir, fileName);
        const source = readFileSync(path);
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(source, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 11,
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            },
          }),
        );
        writeFileSync(`${path}.gz`, gzipSync(source, { level: 9 }));
      }
    },
  };
}

// Preact through the automatic JSX runtime; no preset, no preact/compat. Never the development runtime, even
// when built from a test run (NODE_ENV=test): it would add source paths and grow the bundle.
const oxc: UserConfig['oxc'] = { jsx: { runtime: 'automatic', importSource: 'preact', development: false } };

/**
 * `vite build --mode dashboard`: the site owners' dashboard, an ordinary app served at `/admin`, built into
 * `dist/admin` after the widget (whose build empties `dist`). It shares no output with the widget.
 */
const dashboard: UserConfig = {
  root: fileURLToPath(new URL('dashboard', import.meta.url)),
  base: '/admin/',
  publicDir: false,
  oxc,
  plugins: [precompress()],
  build: {
    outDir: fileURLToPath(new URL('dist/admin', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    cssTarget: ['chrome123', 'firefox128', 'safari17.5'],
    sourcemap: false,
    // Every browser the dashboard supports preloads modules; the polyfill would be dead code.
    modulePreload: { polyfill: false },
  },
};

/**
 * The widget compiles JSX with the classic runtime instead: `h` from Preact's core with children as arguments,
 * rather than the jsx-runtime module and a `children` array on every element (about 80 bytes gzip less). Again
 * never the development variant. Type-checking still goes through `jsxImportSource`: the same elements.
 */
const widgetOxc: UserConfig['oxc'] = {
  jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment', development: false },
  jsxInject: "import { h, Fragment } from 'preact'",
};

/**
 * Property names that only Preact's component machinery uses, which the widget build shortens to a letter or two:
 * Preact's internal ones (`__k`, `__e`, `__`, ...: its own build already shortened them), the class component API
 * (lifecycle methods, setState) and its option hooks (vnode, diffed, unmount). Safe because all of Preact and every
 * component are in the one file, nothing outside it calls them, and the minifier picks names that no other property
 * in the bundle uses. Not `__html` (dangerouslySetInnerHTML), nor generic names such as `state` or `props` that DOM
 * APIs share (`history.state`). About 160 bytes gzip less.
 */
const PREACT_PROPERTIES = new RegExp(
  `^(__[a-zA-Z]?|${[
    'componentWillMount',
    'componentDidMount',
    'componentWillReceiveProps',
    'shouldComponentUpdate',
    'componentWillUpdate',
    'getSnapshotBeforeUpdate',
    'componentDidUpdate',
    'componentWillUnmount',
    'componentDidCatch',
    'getDerivedStateFromProps',
    'getDerivedStateFromError',
    'getChildContext',
    'setState',
    'forceUpdate',
    'debounceRendering',
    'vnode',
    'diffed',
    'unmount',
  ].join('|')})$`,
);

/**
 * `vite build --mode server`: the Node server and the `parley` command line as plain JavaScript in `dist/server`,
 * so production starts `node` on them without compiling TypeScript first. The packages in `dependencies` stay
 * outside the bundle (better-sqlite3 is native): production needs `dist/` and `npm install --omit=dev`.
 */
const server: UserConfig = {
  publicDir: false,
  build: {
    ssr: true,
    outDir: 'dist/server',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rolldownOptions: {
      input: { node: 'server/entries/node.ts', parley: 'server/cli/parley.ts' },
      output: { format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
};

/** `vite build`: the embeddable widget, one self-contained `dist/embed.js`, and the files that go with it. */
const widget: ViteUserConfig = {
  oxc: widgetOxc,
  plugins: [staticFiles(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    cssTarget: ['chrome123', 'firefox128', 'safari17.5'],
    minify: true,
    cssCodeSplit: false,
    sourcemap: false,
    rolldownOptions: {
      // Constants go where they are used, the stylesheet's text too (into the code that adopts it): rolldown's
      // default inlines only the short ones. About 35 bytes gzip less.
      optimization: { inlineConst: { mode: 'all' } },
      output: { minify: { mangleProps: { include: PREACT_PROPERTIES } } },
    },
    // One self-contained classic script: the widget's CSS is imported with `?inline` and injected into its
    // shadow root, so no other file is ever requested.
    lib: {
      entry: 'widget/embed.tsx',
      formats: ['iife'],
      name: 'parleyEmbed',
      fileName: () => 'embed.js',
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two files at a time: most of a suite's time is spent waiting on a database, workerd or Chromium, and every
    // suite works on a database, schema or server of its own.
    fileParallelism: true,
    maxWorkers: 2,
  },
};

/**
 * `vite build --mode count`: the count script for index pages, `dist/count.js`, after the widget's build (which
 * empties `dist`). Its own entry and its own file: index pages load no widget, and it imports nothing of Preact.
 */
const count: UserConfig = {
  publicDir: false,
  plugins: [precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    lib: { entry: 'widget/count.ts', formats: ['iife'], name: 'parleyCount', fileName: () => 'count.js' },
  },
};

const MODES: Record<string, ViteUserConfig> = { dashboard, server, count };

export default defineConfig(({ mode }) => MODES[mode] ?? widget);
