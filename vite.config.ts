import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
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

/** Preact's internal property names (`__k`, `__e`, `__`...), as a member or an object literal's key. */
const PREACT_INTERNAL = /(?<=[.{,])__[A-Za-z]?\b/g;

/**
 * Shortens Preact's internal property names to one letter each, in every chunk of the widget alike, as Preact's
 * own single-file builds do (about 70 bytes gzip in embed.js). Rolldown's `mangleProps` would do it, but only for a
 * build of one chunk. The letters are those no chunk uses as a property name already, so nothing can clash, and
 * `__html` (dangerouslySetInnerHTML's key) is longer than the names matched.
 */
function shortInternals(): Plugin {
  return {
    name: 'parley-short-internals',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
      const all = chunks.map((chunk) => chunk.code).join('\n');
      const counts = new Map<string, number>();
      for (const [name] of all.matchAll(PREACT_INTERNAL)) counts.set(name, (counts.get(name) ?? 0) + 1);
      const used = (letter: string) =>
        new RegExp(`\\.${letter}\\b|[{,]${letter}:|["'\`]${letter}["'\`]`).test(all);
      const free = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].filter(
        (letter) => !used(letter),
      );
      const names = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
      if (names.length > free.length) this.error("not enough free letters for Preact's internal names");
      const short = new Map(names.map((name, at) => [name, free[at] as string]));
      for (const chunk of chunks)
        chunk.code = chunk.code.replace(PREACT_INTERNAL, (name) => short.get(name) ?? name);
    },
  };
}

/** The property of `globalThis` (a registered symbol: no page global can clash) through which chunks reach the core. */
const CORE_KEY = 'globalThis[Symbol.for("parley.widget")]';

/** `import{a as b,c}from"./x.js";` and `import"./x.js";`, as the minifier writes them, at a chunk's top. */
const STATIC_IMPORT = /import\s*(?:\{([^}]*)\}\s*from\s*)?(["'`])([^"'`]+)\2;?/g;
const EXPORTS = /export\s*\{([^}]*)\};?\s*$/;
const pairs = (list: string) =>
  list.split(',').map((pair) => pair.trim().split(/\s+as\s+/) as [string, string?]);

/**
 * Turns the widget's ES-module build into one classic script plus lazily loaded chunks. Bloggers keep a single
 * `<script src=".../embed.js" async>`, which cannot hold `import` or `export`; so, after minification:
 * - `embed.js` gets the code of the entry and of every chunk it imports statically (however the bundler grouped
 *   the first paint's modules), in order, wrapped in a function. What chunks import from that code is published
 *   on CORE_KEY, per chunk it came from, instead of exported; its dynamic imports are resolved against the
 *   script's own `src`, so that a page on another origin loads them from the Parley server;
 * - every other chunk (`w/<name>-<hash>.js`, an ES module loaded by `import()`) reads what it imported from that
 *   code off CORE_KEY. Chunks import each other as ordinary modules.
 */
function classicEntry(): Plugin {
  return {
    name: 'parley-classic-entry',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
      const entry = chunks.find((chunk) => chunk.isEntry);
      if (!entry) return;
      // The first paint: the entry and what it imports statically, dependencies first.
      const core: typeof chunks = [];
      const visit = (chunk: (typeof chunks)[number]) => {
        if (core.includes(chunk)) return;
        for (const name of chunk.imports) {
          const imported = bundle[name];
          if (imported?.type === 'chunk') visit(imported);
        }
        core.push(chunk);
      };
      visit(entry);
      const inCore = new Set(core.map((chunk) => chunk.fileName));
      const target = (from: string, specifier: string) => posix.join(posix.dirname(from), specifier);
      /** Imports of the core become reads of CORE_KEY; a bare one only ordered execution, already done. */
      const linkCore = (chunk: (typeof chunks)[number], registry = CORE_KEY) =>
        chunk.code.replace(
          STATIC_IMPORT,
          (statement, list: string | undefined, _quote, specifier: string) => {
            const file = target(chunk.fileName, specifier);
            if (!inCore.has(file)) return statement;
            if (!list) return '';
            const names = pairs(list).map(([name, local = name]) => `${name}:${local}`);
            return `const{${names.join(',')}}=${registry}[${JSON.stringify(file)}];`;
          },
        );

      let code = '';
      for (const chunk of core) {
        // Each in a scope of its own, as a module has: the minifier reuses short names across chunks. Exports are
        // published as values, once the chunk has run (none of the first paint's is reassigned later).
        const body = linkCore(chunk, '$parleyCore').replace(EXPORTS, (_, list: string) => {
          const names = pairs(list).map(([local, name = local]) => `${name}:${local}`);
          return `$parleyCore[${JSON.stringify(chunk.fileName)}]={${names.join(',')}};`;
        });
        code += `(()=>{${body}})();`;
        if (chunk !== entry) delete bundle[chunk.fileName];
      }
      code = code.replace(/\bimport\((["'`])\.\/(w\/[\w.-]+\.js)\1\)/g, 'import(new URL("$2",$parleyBase))');
      if (/\bexport\s*\{|\bimport\s*\(\s*["'`]|\bimport\s*["'`{]|import\.meta/.test(code)) {
        this.error('embed.js kept module syntax the classic wrapper cannot rewrite');
      }
      entry.code = `(()=>{"use strict";var $parleyBase=document.currentScript.src,$parleyCore=${CORE_KEY}??={};${code}})();\n`;

      for (const chunk of chunks) {
        if (inCore.has(chunk.fileName)) continue;
        chunk.code = linkCore(chunk);
        const left = [...chunk.code.matchAll(STATIC_IMPORT)].map((match) =>
          target(chunk.fileName, match[3] ?? ''),
        );
        if (left.some((file) => inCore.has(file) || !bundle[file])) {
          this.error(`${chunk.fileName} imports the first paint's code in a way not rewritten`);
        }
      }
    },
  };
}

/**
 * `vite build`: the embeddable widget: `dist/embed.js`, a classic script with everything the first paint of a
 * thread needs, and the chunks it loads after that paint (`dist/w/`, content-hashed), and the files that go with it.
 */
const widget: ViteUserConfig = {
  oxc: widgetOxc,
  plugins: [staticFiles(), shortInternals(), classicEntry(), precompress()],
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
      // Lets the entry hold the modules that chunks share with it (chunks read them off the entry, see
      // classicEntry), instead of moving them to a shared chunk that the entry would have to import.
      preserveEntrySignatures: 'allow-extension',
      output: {
        // A library build in ES format keeps its whitespace unless told. (Rolldown's property mangling works only
        // for a build of one chunk: shortInternals does it for Preact's internal names.)
        minify: { codegen: { removeWhitespace: true } },
        chunkFileNames: 'w/[name]-[hash].js',
        comments: false,
      },
    },
    // An ES-module build, which code-splits (an IIFE cannot), made classic by classicEntry. The widget's CSS is
    // imported with `?inline` and adopted by its shadow root.
    lib: {
      entry: 'widget/embed.tsx',
      formats: ['es'],
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
