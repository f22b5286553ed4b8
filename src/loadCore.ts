/**
 * The core loaded from the knowledge folder, synchronously: every YAML file parsed and validated, the search's
 * indexes built. For tools and tests, which run from src/ and always read the folder; the bot starts with
 * `openCore` (src/core.ts), which reads the build's snapshot and so never loads YAML or zod.
 */
import { buildCore, defaultKnowledgeDir, type Core } from './core.js';
import { loadKnowledge } from './knowledge/load.js';
import { defaultSearchOptions, type SearchOptions } from './search/options.js';

/** Loads and indexes the knowledge; throws a KnowledgeError naming every bad file and field. */
export function loadCore(dir: string = defaultKnowledgeDir, options: SearchOptions = defaultSearchOptions): Core {
  return buildCore(loadKnowledge(dir), options);
}
