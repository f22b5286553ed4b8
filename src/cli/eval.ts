/**
 * `npm run eval [-- path.jsonl ...] [--verbose]`: scores the bot on an evaluation set (CONTRACT.md §4), per kind:
 * route@1 (the first result is in `expect` or `alt`; for `expect: []` or `none:*`, no result), and, for the cases
 * that carry `must`, answered (the text of the facts the reply leads with matches `must`); wrong counts the
 * replies that state something they should not (facts not matching `must`, or a confident answer to a question
 * that should get none). Default set: eval/dev.jsonl. `--verbose` lists every miss.
 *
 * A follow-up case (eval/followups.jsonl) has `first` too: `first` is asked, its first result is the subject, and
 * `q` is asked with it, as a thread message without a mention would be. A `chatter` case passes when the bot would
 * not reply to it (src/followup.ts, which asks `answersFollowUp` too; `--answers-follow-up-only`: that alone); a
 * `followup` case when it would, with an acceptable entry; `right` adds that the facts match `must`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { answersFollowUp } from '../answer/index.js';
import { repliesToFollowUp } from '../followup.js';
import type { Core } from '../core.js';
import { loadCore } from '../loadCore.js';

export interface EvalCase {
  q: string;
  /** A follow-up case: the question that started the conversation (its first result is the subject). */
  first?: string;
  expect: string[];
  kind: string;
  all?: string[];
  alt?: string[];
  must?: string;
  source?: string;
  doc?: string;
}

export interface CaseResult {
  case: EvalCase;
  got: string[];
  /** The text of the facts the reply led with. */
  facts: string;
  /** route@1 (and `all` within the top 3). */
  pass: boolean;
  /** For a case with `must`: whether the facts match it. */
  answered?: boolean;
  wrong: boolean;
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
        if (c.must !== undefined) new RegExp(c.must, 'i');
        return c;
      } catch (err) {
        throw new Error(`${name}:${i + 1}: ${(err as Error).message}`);
      }
    });
}

/** Which test decides whether a follow-up case is replied to: the bot's (default), or answersFollowUp alone. */
let followUpTest: 'bot' | 'answer' = 'bot';

export function runCase(core: Core, c: EvalCase): CaseResult {
  const first = c.first === undefined ? undefined : core.answer.ask(c.first);
  const subject = first?.results[0]?.entry.id;
  const asked = first === undefined ? core.answer.ask(c.q) : core.answer.ask(c.q, { subject, topic: first.facts[0]?.id });
  // A follow-up nobody addressed to the bot gets a reply only when the bot's test says so (src/followup.ts, which
  // asks answersFollowUp too); otherwise, nothing. With --answers-follow-up-only, answersFollowUp alone decides.
  const replies =
    c.first === undefined ||
    (followUpTest === 'answer' ? answersFollowUp(asked) : repliesToFollowUp(c.q, asked, core.searcher.servicesNamedIn(c.q), subject));
  const a = replies ? asked : { ...asked, results: [], facts: [] };
  const got = a.results.map((r) => r.entry.id);
  const facts = a.facts.map((f) => f.answer).join('\n');
  const answerable = c.expect.filter((id) => !id.startsWith('none:'));
  const acceptable = [...answerable, ...(c.alt ?? [])];
  const noneWanted = answerable.length === 0;
  let pass = got.length > 0 ? acceptable.includes(got[0]!) : noneWanted;
  if (pass && c.all) pass = c.all.every((id) => got.slice(0, 3).includes(id));
  const must = c.must === undefined ? undefined : new RegExp(c.must, 'i');
  const answered = must ? must.test(facts) : undefined;
  const wrong = (must !== undefined && facts !== '' && !answered) || (noneWanted && got.length > 0 && !acceptable.includes(got[0]!));
  return { case: c, got, facts, pass, ...(answered !== undefined ? { answered } : {}), wrong };
}

export interface Score {
  kind: string;
  n: number;
  passed: number;
  /** Cases with `must`, and how many of them were answered. */
  withMust: number;
  answered: number;
  wrong: number;
}

function sum(kind: string, list: CaseResult[]): Score {
  return {
    kind,
    n: list.length,
    passed: list.filter((r) => r.pass).length,
    withMust: list.filter((r) => r.answered !== undefined).length,
    answered: list.filter((r) => r.answered).length,
    wrong: list.filter((r) => r.wrong).length,
  };
}

export function score(results: CaseResult[]): { byKind: Score[]; inScope: Score; overall: Score } {
  const kinds = [...new Set(results.map((r) => r.case.kind))];
  return {
    byKind: kinds.map((k) =>
      sum(
        k,
        results.filter((r) => r.case.kind === k),
      ),
    ),
    inScope: sum(
      'in-scope',
      results.filter((r) => inScopeKinds.includes(r.case.kind)),
    ),
    overall: sum('overall', results),
  };
}

const pct = (n: number, d: number): string => (d ? ((100 * n) / d).toFixed(1) : '—').padStart(5) + '%';
const cell = (n: number, d: number): string => `${String(n).padStart(4)}/${String(d).padEnd(4)} ${pct(n, d)}`;

function line(s: Score, facts: boolean): string {
  const head = `${s.kind.padEnd(14)} ${cell(s.passed, s.n)}`;
  if (!facts) return head;
  return `${head}   ${s.withMust ? cell(s.answered, s.withMust) : '         —     '}   ${cell(s.wrong, s.n)}`;
}

function main(argv: string[]): void {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  if (argv.includes('--answers-follow-up-only')) followUpTest = 'answer';
  const files = argv.filter((a) => !a.startsWith('-'));
  if (files.length === 0) files.push(fileURLToPath(new URL('../../eval/dev.jsonl', import.meta.url)));
  const core = loadCore();
  for (const file of files) {
    const results = parseEvalFile(readFileSync(file, 'utf8'), file).map((c) => runCase(core, c));
    const s = score(results);
    const facts = results.some((r) => r.case.must !== undefined || r.case.kind.startsWith('real-'));
    if (verbose)
      for (const r of results.filter((x) => !x.pass || x.wrong || x.answered === false)) {
        const why = [!r.pass ? 'route' : '', r.answered === false ? 'unanswered' : '', r.wrong ? 'WRONG' : ''].filter(Boolean).join(',');
        console.log(
          `MISS(${why}) [${r.case.kind}] ${JSON.stringify(r.case.q.slice(0, 160))} expected ${JSON.stringify(r.case.expect)} got ${JSON.stringify(r.got)}${r.case.must ? ` must /${r.case.must}/ facts ${JSON.stringify(r.facts.slice(0, 160))}` : ''}`,
        );
      }
    console.log(`\n${file}`);
    console.log(`${'kind'.padEnd(14)} ${'route@1'.padEnd(15)}${facts ? `   ${'answered'.padEnd(15)}   wrong` : ''}`);
    for (const k of s.byKind) console.log(line(k, facts));
    if (!facts) console.log(line(s.inScope, false));
    console.log(line(s.overall, facts));
    if (results.some((r) => r.case.first !== undefined)) {
      // Right: chatter left alone; a follow-up answered, about the acceptable entry, with the facts `must` asks for.
      const right = results.filter((r) => r.pass && r.answered !== false).length;
      console.log(`${'right'.padEnd(14)} ${cell(right, results.length)}`);
    }
  }
}

main(process.argv.slice(2));
