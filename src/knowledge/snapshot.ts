/**
 * The knowledge as the build validated it, so that a start does not parse and validate 1.8 MB of YAML again.
 *
 * `npm run build` (scripts/build.mjs) loads the knowledge folder (loadKnowledge: YAML, schema, cross-checks) and
 * writes what it yields as JSON into dist/knowledge.json, with a fingerprint of every file of the folder (names and
 * contents). At start, the compiled bot reads that file if its fingerprint is the folder's as it is now: the same
 * files, so the same entries, already checked. Otherwise (an entry edited after the build, no build at all, running
 * from src/ under tsx) it loads the folder as before, and a bad file stops the start the same way. Reading the
 * snapshot costs a read and a hash of the folder and one JSON.parse; loading the folder costs its parse and
 * validation, about half a second and tens of MB of garbage at every start.
 *
 * Beside it, dist/search-index.json holds the search's indexes built over that knowledge (MiniSearch's, the term
 * weights, the phrases, the name keys: `SearchIndexData`, src/search/index.ts), with the same fingerprint: a start
 * from the snapshot reads them back rather than tokenizing and stemming every entry and fact again (the bigger
 * part of a start's time and memory). Its check is the snapshot's: the folder's fingerprint now; a start that
 * loads the folder builds them, as does everything that runs from src/ (tests, tsx).
 *
 * Nothing here imports the loader (YAML, zod): only the fallback does.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { SearchIndexData } from '../search/index.js';
import type { KnowledgeBase } from './load.js';
import type { Entry, Fact, Tip, UnlistedService } from './schema.js';

/** Bumped when what the file holds changes shape. */
const format = 2;

interface SnapshotFile {
  format: number;
  fingerprint: string;
  entries: Entry[];
  tips: Tip[];
  facts: Fact[];
  unlisted: UnlistedService[];
}

interface SearchIndexFile {
  format: number;
  fingerprint: string;
  index: SearchIndexData;
}

/** Where the search's indexes are kept for the snapshot in `file`: search-index.json beside it. */
export function searchIndexFile(file: string): string {
  return join(dirname(file), 'search-index.json');
}

/**
 * A hash of every file under `dir` (any kind: over-invalidating only costs a slower start), by relative path and
 * content, in a fixed order.
 */
export function fingerprint(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const data = readFileSync(path);
        hash.update(`${relative(dir, path).split(sep).join('/')}\u0000${data.length}\u0000`).update(data);
      }
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/**
 * The knowledge base from its parts, with its indexes: the loader's (`buildKnowledge`), and a start's from the
 * build's snapshot. Here, not in load.ts, so that a start from the snapshot loads neither yaml nor zod.
 */
export function assemble(entries: Entry[], tips: Tip[], facts: Fact[], unlisted: UnlistedService[]): KnowledgeBase {
  const factsByEntry = new Map<string, Fact[]>();
  for (const f of facts) factsByEntry.set(f.entry, [...(factsByEntry.get(f.entry) ?? []), f]);
  return { entries, byId: new Map(entries.map((e) => [e.id, e])), tips, facts, factsByEntry, unlisted };
}

/**
 * Writes the snapshot of `kb`, loaded from `dir`, to `file`, and the search's indexes built over it (`index`,
 * `Searcher.toJSON()`) beside it; without `index`, an index left there from before is removed.
 */
export function writeSnapshot(file: string, dir: string, kb: KnowledgeBase, index?: SearchIndexData): void {
  const print = fingerprint(dir);
  const snap: SnapshotFile = { format, fingerprint: print, entries: kb.entries, tips: kb.tips, facts: kb.facts, unlisted: kb.unlisted };
  writeFileSync(file, JSON.stringify(snap));
  const indexFile = searchIndexFile(file);
  if (index) writeFileSync(indexFile, JSON.stringify({ format, fingerprint: print, index } satisfies SearchIndexFile));
  else rmSync(indexFile, { force: true });
}

/** The JSON in `file` if it is a snapshot's (of this format) made from a folder of fingerprint `print`. */
function readMatching<T extends { format: number; fingerprint: string }>(file: string, print: () => string): Partial<T> | undefined {
  let snap: Partial<T>;
  try {
    snap = JSON.parse(readFileSync(file, 'utf8')) as Partial<T>;
  } catch {
    return undefined;
  }
  return snap.format === format && snap.fingerprint === print() ? snap : undefined;
}

/** The knowledge of the snapshot in `file` if it was made from `dir` as it is now; undefined otherwise. */
export function readSnapshot(file: string, dir: string): KnowledgeBase | undefined {
  return readKnowledge(file, () => fingerprint(dir));
}

function readKnowledge(file: string, print: () => string): KnowledgeBase | undefined {
  const snap = readMatching<SnapshotFile>(file, print);
  if (!snap || !Array.isArray(snap.entries) || !Array.isArray(snap.tips) || !Array.isArray(snap.facts) || !Array.isArray(snap.unlisted))
    return undefined;
  return assemble(snap.entries, snap.tips, snap.facts, snap.unlisted);
}

/** What a start loads: the knowledge, where it came from, and the search's indexes when the build left them for it. */
export interface QuickKnowledge {
  kb: KnowledgeBase;
  from: 'snapshot' | 'files';
  /** The search's indexes over `kb` (for `Searcher`'s `prebuilt`), when read from the snapshot and kept beside it. */
  index?: SearchIndexData;
}

/**
 * The knowledge of `dir`: from the snapshot in `file` when it is the folder's, with the search's indexes kept
 * beside it when they are the folder's too; else loaded and validated from the folder (throwing its
 * KnowledgeError as loadKnowledge does), without indexes.
 */
export async function loadKnowledgeQuickly(dir: string, file: string): Promise<QuickKnowledge> {
  let print: string | undefined;
  const once = (): string => (print ??= fingerprint(dir));
  const kb = readKnowledge(file, once);
  if (kb) {
    const index = readMatching<SearchIndexFile>(searchIndexFile(file), once)?.index;
    return { kb, from: 'snapshot', ...(index ? { index } : {}) };
  }
  const { loadKnowledge } = await import('./load.js');
  return { kb: loadKnowledge(dir), from: 'files' };
}
