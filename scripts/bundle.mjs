// The CLI as one bundled ES module, dist/bundle/main.js (run after tsc: it bundles the compiled dist/src).
//
// Why: an executor is a Node process, and 64 of them on one machine spend most of their start-up in Node's
// ES module loader (about 230 modules: ours, zod's, undici's), not in pagefleet. One file halves the CPU
// an executor spends before its first request (bench/RESULTS.md, "Cheap executors").
//
// What stays out of the main file: what a run loads only when it needs it. The AWS SDK (an s3:// root) and
// the Parquet packages (snappy is native, and optional) stay in node_modules; our own lazily imported
// modules (the S3 store, the Parquet builder) become chunks beside main.js, loaded by the same dynamic
// import() as in dist/src.
//
// `pagefleet ingest --executors N` run from the bundle starts its children from the bundle too
// (src/cli/ingest.ts starts `./main.js` beside itself).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { DEFAULT_EXECUTOR_NODE_FLAGS } from '../dist/src/job/heap.js';
import { build } from 'esbuild';

// chunks are named by content hash: a new build leaves no stale ones beside it
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: ['dist/src/cli/main.js'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@aws-sdk/*', 'hyparquet', 'hyparquet-writer', 'snappy'],
  // undici and other CommonJS packages call require() for Node's built-ins: give the module one
  banner: { js: "import { createRequire as pagefleetRequire } from 'node:module'; const require = pagefleetRequire(import.meta.url);" },
  logLevel: 'warning',
});

// `pagefleet` (package.json's bin, the image's entrypoint) starts Node with the executor's start-up flags
// (src/job/heap.ts): its #! line names them (env -S splits them into arguments)
const main = 'dist/bundle/main.js';
const text = readFileSync(main, 'utf8');
if (!text.startsWith('#!/usr/bin/env node\n')) throw new Error(`${main}: expected the #! line of src/cli/main.ts`);
writeFileSync(main, `#!/usr/bin/env -S node ${DEFAULT_EXECUTOR_NODE_FLAGS.join(' ')}\n` + text.slice(text.indexOf('\n') + 1));
