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
 * Nothing here imports the loader (YAML, zod): only the fallback does.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { KnowledgeBase } from './load.js';
import type { Entry, Fact, Tip } from './schema.js';

/** Bumped when what the file holds changes shape. */
const format = 1;

interface SnapshotFile {
  format: number;
  fingerprint: string;
  entries: Entry[];
  tips: Tip[];
  facts: Fact[];
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

/** The knowledge base from its parts, its indexes built as the loader builds them. */
export function assemble(entries: Entry[], tips: Tip[], facts: Fact[]): KnowledgeBase {
  const factsByEntry = new Map<string, Fact[]>();
  for (const f of facts) factsByEntry.set(f.entry, [...(factsByEntry.get(f.entry) ?? []), f]);
  return { entries, byId: new Map(entries.map((e) => [e.id, e])), tips, facts, factsByEntry };
}

/** Writes the snapshot of `kb`, loaded from `dir`, to `file`. */
export function writeSnapshot(file: string, dir: string, kb: KnowledgeBase): void {
  const snap: SnapshotFile = { format, fingerprint: fingerprint(dir), entries: kb.entries, tips: kb.tips, facts: kb.facts };
  writeFileSync(file, JSON.stringify(snap));
}

/** The knowledge of the snapshot in `file` if it was made from `dir` as it is now; undefined otherwise. */
export function readSnapshot(file: string, dir: string): KnowledgeBase | undefined {
  let snap: Partial<SnapshotFile>;
  try {
    snap = JSON.parse(readFileSync(file, 'utf8')) as Partial<SnapshotFile>;
  } catch {
    return undefined;
  }
  if (snap.format !== format || !Array.isArray(snap.entries) || !Array.isArray(snap.tips) || !Array.isArray(snap.facts)) return undefined;
  if (snap.fingerprint !== fingerprint(dir)) return undefined;
  return assemble(snap.entries, snap.tips, snap.facts);
}

/**
 * The knowledge of `dir`: from the snapshot in `file` when it is the folder's, else loaded and validated from the
 * folder (throwing its KnowledgeError as loadKnowledge does).
 */
export async function loadKnowledgeQuickly(dir: string, file: string): Promise<{ kb: KnowledgeBase; from: 'snapshot' | 'files' }> {
  const kb = readSnapshot(file, dir);
  if (kb) return { kb, from: 'snapshot' };
  const { loadKnowledge } = await import('./load.js');
  return { kb: loadKnowledge(dir), from: 'files' };
}
