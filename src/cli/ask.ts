/**
 * `npm run --silent ask -- [--json] ["query"]` (CONTRACT.md §2): the same answer and blocks the Slack bot would
 * send, as readable text or one JSON object per query. With no query argument, one query per stdin line.
 */
import { createInterface } from 'node:readline';
import type { Answer } from '../answer/index.js';
import type { Core } from '../core.js';
import { loadCore } from '../loadCore.js';
import { KnowledgeError } from '../knowledge/load.js';
import { blocksToText } from '../render/plain.js';

const usage = 'usage: npm run --silent ask -- [--json] ["query"]   (no query: one query per line on stdin)';

/** The JSON object of CONTRACT.md §2 for one query. */
export function askJson(core: Core, query: string): object {
  const a: Answer = core.answer.ask(query);
  const { blocks } = core.render.answer(a);
  return {
    query,
    results: a.results.map((r) => ({ id: r.entry.id, title: r.entry.name, score: r.score })),
    ...(a.results.length === 0 && a.suggestions.length ? { suggestions: a.suggestions.map((s) => ({ id: s.id, title: s.name })) } : {}),
    facts: a.facts.map((f) => ({ id: f.id, entry: f.entry, text: f.answer, source: f.source, checked: f.checked })),
    blocks,
  };
}

export function askText(core: Core, query: string): string {
  return blocksToText(core.render.answer(core.answer.ask(query)).blocks);
}

async function main(argv: string[]): Promise<number> {
  let json = false;
  const queries: string[] = [];
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(usage);
      return 0;
    } else if (arg.startsWith('--')) {
      console.error(`ask: unknown option ${arg}\n${usage}`);
      return 2;
    } else queries.push(arg);
  }
  if (queries.length > 1) {
    console.error(`ask: give one query (quote it), or none to read queries from stdin\n${usage}`);
    return 2;
  }
  const core = loadCore();
  const print = (q: string): void => {
    if (json) process.stdout.write(JSON.stringify(askJson(core, q)) + '\n');
    else process.stdout.write(askText(core, q) + '\n\n');
  };
  if (queries.length === 1) {
    print(queries[0]!);
    return 0;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) print(line);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof KnowledgeError ? err.message : err);
    process.exitCode = 1;
  },
);
