/**
 * The knowledge, its search, the answer function and the renderer, built once at start and shared by every
 * surface (Slack, the console, `ask`, `eval`, the benchmark).
 *
 * Nothing here imports the knowledge loader (YAML, zod): the compiled bot starts from the build's snapshot
 * (`openCore`), and only a start without one loads the folder, through a dynamic import. Tools and tests that
 * always load the folder use `loadCore` (src/loadCore.ts).
 */
import { fileURLToPath } from 'node:url';
import { createAnswerer, type Answerer } from './answer/index.js';
import type { KnowledgeBase } from './knowledge/load.js';
import { loadKnowledgeQuickly } from './knowledge/snapshot.js';
import { createRenderer, type Renderer } from './render/index.js';
import { Searcher, type SearchIndexData } from './search/index.js';
import { defaultSearchOptions, type SearchOptions } from './search/options.js';

export interface Core {
  kb: KnowledgeBase;
  searcher: Searcher;
  answer: Answerer;
  render: Renderer;
}

/** The project's own knowledge folder. */
export const defaultKnowledgeDir = fileURLToPath(new URL('../knowledge', import.meta.url));

/** The core over `kb`; its search's indexes read back from `index` when given (and made over `kb`), else built. */
export function buildCore(kb: KnowledgeBase, options: SearchOptions = defaultSearchOptions, index?: SearchIndexData): Core {
  const searcher = new Searcher(kb.entries, options, kb.facts, index);
  return { kb, searcher, answer: createAnswerer(kb, searcher), render: createRenderer(kb) };
}

/**
 * The core of the knowledge in `dir`: from the build's snapshot `snapshotFile` (the knowledge and the search's
 * indexes) when it was made from the folder as it is now, else loaded and validated from the folder (throwing a
 * KnowledgeError naming every bad file and field) and indexed here.
 */
export async function openCore(
  dir: string,
  snapshotFile: string,
  options: SearchOptions = defaultSearchOptions,
): Promise<Core & { from: 'snapshot' | 'files' }> {
  const { kb, from, index } = await loadKnowledgeQuickly(dir, snapshotFile);
  return { ...buildCore(kb, options, index), from };
}
