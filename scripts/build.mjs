#!/usr/bin/env node
/**
 * The production build: TypeScript in src/ compiled by tsc to JavaScript in dist/, run by plain `node dist/main.js`.
 *
 *   node scripts/build.mjs             build: dist/ emptied, tsc -p tsconfig.build.json, the knowledge validated
 *                                      into dist/knowledge.json and indexed into dist/search-index.json
 *                                      (src/knowledge/snapshot.ts), a stamp written
 *   node scripts/build.mjs --if-stale  the same, only when dist/ is missing or older than what it is built from;
 *                                      only the knowledge snapshot and index when only the knowledge folder changed
 *
 * `npm start` runs the second before `node dist/main.js` (its prestart), so a fresh clone (`npm ci && npm start`)
 * and a checkout with edited sources both run what src/ holds; when nothing changed it costs a directory walk.
 * Plain JavaScript, so it runs before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What dist/ is built from: the sources and the compiler settings. */
export const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json'];
/** Written after a build, with the time the build started (a source saved during a build is newer than it). */
export const stampFile = join('dist', '.build-stamp');

/** The newest modification time (ms) of a file or folder, or of anything under it (a removed file changes its folder). */
export function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  let t = st.mtimeMs;
  if (st.isDirectory()) for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

/** Why `dir`'s dist/ needs building, or undefined when it is up to date. */
export function staleness(dir = root) {
  let built;
  try {
    built = statSync(join(dir, stampFile)).mtimeMs;
  } catch {
    return 'dist/ has not been built';
  }
  const changed = inputs.find((p) => newest(join(dir, p)) > built);
  return changed ? `${changed} changed since dist/ was built` : undefined;
}

/**
 * The knowledge as the build validates it, for the compiled bot to start from (src/knowledge/snapshot.ts):
 * dist/knowledge.json, and beside it the search's indexes built over it (dist/search-index.json), so that a start
 * neither parses the YAML nor indexes it. A knowledge folder with problems fails the build with them, as it would
 * fail the start.
 */
export const knowledgeFile = join('dist', 'knowledge.json');
export const searchIndexFile = join('dist', 'search-index.json');

async function writeKnowledge(dir) {
  const dist = (path) => import(pathToFileURL(join(dir, 'dist', path)).href);
  const { loadKnowledge } = await dist('knowledge/load.js');
  const { writeSnapshot } = await dist('knowledge/snapshot.js');
  const { buildCore } = await dist('core.js');
  const knowledge = join(dir, 'knowledge');
  try {
    const kb = loadKnowledge(knowledge);
    // The indexes as the bot builds them at start (src/core.ts), by the code just compiled.
    writeSnapshot(join(dir, knowledgeFile), knowledge, kb, buildCore(kb).searcher.toJSON());
    return 0;
  } catch (err) {
    console.error(`build: the knowledge folder does not load: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

/**
 * Whether dist/knowledge.json or dist/search-index.json is missing or was made from other files than the knowledge
 * folder holds now.
 */
export async function knowledgeStale(dir = root) {
  const { fingerprint } = await import(pathToFileURL(join(dir, 'dist', 'knowledge', 'snapshot.js')).href);
  const now = fingerprint(join(dir, 'knowledge'));
  try {
    return [knowledgeFile, searchIndexFile].some((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).fingerprint !== now);
  } catch {
    return true;
  }
}

/** Builds dist/ in `dir`: the code, then the knowledge snapshot; returns 0 when built. */
export async function build(dir = root) {
  const started = Date.now();
  let tsc;
  try {
    tsc = createRequire(join(dir, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    console.error(
      'build: TypeScript is not installed (dependencies installed with --omit=dev?). Build where the dev dependencies are ' +
        '(npm ci && npm run build) and ship dist/ with the app, or run `npm ci` here.',
    );
    return 1;
  }
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.build.json')], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build: tsc failed (exit ${r.status ?? r.signal}); dist/ is not usable`);
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    return r.status ?? 1;
  }
  mkdirSync(join(dir, 'dist'), { recursive: true });
  const snapshot = await writeKnowledge(dir);
  if (snapshot !== 0) return snapshot;
  const stamp = join(dir, stampFile);
  writeFileSync(stamp, `built from src/ at ${new Date(started).toISOString()}\n`);
  utimesSync(stamp, started / 1000, started / 1000);
  return 0;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  if (process.argv.includes('--if-stale')) {
    const why = staleness();
    if (why) {
      console.error(`build: ${why}: compiling src/ to dist/ …`);
      process.exitCode = await build();
    } else if (await knowledgeStale()) {
      // Only the knowledge changed: its snapshot again, no compile.
      console.error('build: the knowledge folder changed since dist/ was built: validating it again …');
      process.exitCode = await writeKnowledge(root);
    }
  } else {
    process.exitCode = await build();
  }
}
