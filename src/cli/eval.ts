/**
 * `npm run eval [-- path.jsonl ...] [--verbose]`: scores the search on an evaluation set (CONTRACT.md §4): the
 * share of cases whose first result is acceptable (for `expect: []`, whose results are empty), per kind, over
 * the in-scope kinds, and overall. Default set: eval/dev.jsonl. `--verbose` lists every miss.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCore, type Core } from '../core.js';

export interface EvalCase {
  q: string;
  expect: string[];
  kind: string;
  all?: string[];
}

export interface CaseResult {
  case: EvalCase;
  got: string[];
  pass: boolean;
}

/** Kinds whose cases expect an answer; `oos` expects none, `beyond` is scored on its own. */
export const inScopeKinds = ['name', 'alias', 'typo', 'question', 'compare', 'topic'];

export function parseEvalFile(text: string, name: string): EvalCase[] {
  return text
    .split('\n')
    .map((l, i) => ({ l: l.trim(), i }))
    .filter(({ l }) => l)
    .map(({ l, i }) => {
      try {
        const c = JSON.parse(l) as EvalCase;
        if (typeof c.q !== 'string' || !Array.isArray(c.expect) || typeof c.kind !== 'string') throw new Error('needs q, expect, kind');
        return c;
      } catch (err) {
        throw new Error(`${name}:${i + 1}: ${(err as Error).message}`);
      }
    });
}

export function runCase(core: Core, c: EvalCase): CaseResult {
  const got = core.answer.ask(c.q).results.map((r) => r.entry.id);
  let pass = c.expect.length === 0 ? got.length === 0 : got.length > 0 && c.expect.includes(got[0]!);
  if (pass && c.all) pass = c.all.every((id) => got.slice(0, 3).includes(id));
  return { case: c, got, pass };
}

export interface Score {
  kind: string;
  n: number;
  passed: number;
}

export function score(results: CaseResult[]): { byKind: Score[]; inScope: Score; overall: Score } {
  const byKind = new Map<string, Score>();
  for (const r of results) {
    const s = byKind.get(r.case.kind) ?? { kind: r.case.kind, n: 0, passed: 0 };
    s.n++;
    if (r.pass) s.passed++;
    byKind.set(r.case.kind, s);
  }
  const sum = (kind: string, list: CaseResult[]): Score => ({ kind, n: list.length, passed: list.filter((r) => r.pass).length });
  return {
    byKind: [...byKind.values()],
    inScope: sum('in-scope', results.filter((r) => inScopeKinds.includes(r.case.kind))),
    overall: sum('overall', results),
  };
}

const pct = (s: Score): string => (s.n ? ((100 * s.passed) / s.n).toFixed(1) : '—').padStart(5) + '%';
const line = (s: Score): string => `${s.kind.padEnd(10)} ${String(s.passed).padStart(4)}/${String(s.n).padEnd(4)} ${pct(s)}`;

function main(argv: string[]): void {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const files = argv.filter((a) => !a.startsWith('-'));
  if (files.length === 0) files.push(fileURLToPath(new URL('../../eval/dev.jsonl', import.meta.url)));
  const core = loadCore();
  for (const file of files) {
    const results = parseEvalFile(readFileSync(file, 'utf8'), file).map((c) => runCase(core, c));
    const s = score(results);
    if (verbose)
      for (const r of results.filter((x) => !x.pass))
        console.log(`MISS [${r.case.kind}] ${JSON.stringify(r.case.q)} expected ${JSON.stringify(r.case.expect)} got ${JSON.stringify(r.got)}`);
    console.log(`\n${file}`);
    for (const k of s.byKind) console.log(line(k));
    console.log(line(s.inScope));
    console.log(line(s.overall));
  }
}

main(process.argv.slice(2));
