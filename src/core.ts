/**
 * The knowledge, its search, the answer function and the renderer, built once at start and shared by every
 * surface (Slack, the console, `ask`, `eval`, the benchmark).
 */
import { fileURLToPath } from 'node:url';
import { createAnswerer, type Answerer } from './answer/index.js';
import { loadKnowledge, type KnowledgeBase } from './knowledge/load.js';
import { createRenderer, type Renderer } from './render/index.js';
import { Searcher } from './search/index.js';
import { defaultSearchOptions, type SearchOptions } from './search/options.js';

export interface Core {
  kb: KnowledgeBase;
  searcher: Searcher;
  answer: Answerer;
  render: Renderer;
}

/** The project's own knowledge folder. */
export const defaultKnowledgeDir = fileURLToPath(new URL('../knowledge', import.meta.url));

/** Loads and indexes the knowledge; throws a KnowledgeError naming every bad file and field. */
export function loadCore(dir: string = defaultKnowledgeDir, options: SearchOptions = defaultSearchOptions): Core {
  return buildCore(loadKnowledge(dir), options);
}

export function buildCore(kb: KnowledgeBase, options: SearchOptions = defaultSearchOptions): Core {
  const searcher = new Searcher(kb.entries, options, kb.facts);
  return { kb, searcher, answer: createAnswerer(kb, searcher), render: createRenderer(kb) };
}
