/**
 * What is wrong with the knowledge, as the loader reports it (src/knowledge/load.ts re-exports all of it). A module
 * of its own, without YAML or zod, so that the compiled bot, starting from the snapshot, can tell a knowledge error
 * from another without loading the loader.
 */

/** One thing wrong with the knowledge, located as precisely as the parser allows. */
export interface KnowledgeProblem {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

export class KnowledgeError extends Error {
  constructor(readonly problems: KnowledgeProblem[]) {
    super(`knowledge: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` + problems.map((p) => '  ' + formatProblem(p)).join('\n'));
    this.name = 'KnowledgeError';
  }
}

export function formatProblem(p: KnowledgeProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  return `${where}${p.field ? ` ${p.field}` : ''}: ${p.message}`;
}
