/**
 * `npm run bench`: how fast the bot builds its indexes (entries and facts) and answers, against a plain MiniSearch
 * over the same text as a yardstick, the memory the knowledge takes, and whether the aims are met (answer + render
 * p50 ≤ 0.3 ms, p99 ≤ 1 ms, build ≤ 300 ms); then the compiled bot beside a bare Bolt app (bench/slack.ts) and
 * through a burst of 2,000 events (bench/burst.ts).
 *
 * Sections are registered with `section(name, fn)` and run in order; each returns the lines it prints and the
 * aims it checks. Add a section by calling `section(...)` below. `--strict` exits 1 when an aim is not met;
 * `--only search,slack` runs the sections whose names start so.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import MiniSearch from 'minisearch';
import type { Core } from '../src/core.js';
import { loadCore } from '../src/loadCore.js';
import { Searcher, toDoc, type SearchDoc } from '../src/search/index.js';
import { defaultSearchOptions, searchFields } from '../src/search/options.js';

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

export interface Percentiles {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of a list of samples (any unit). All NaN for no samples. */
export function percentiles(samples: readonly number[]): Percentiles {
  const n = samples.length;
  if (n === 0) return { n, min: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
  return { n, min: s[0]!, p50: at(50), p90: at(90), p99: at(99), max: s[n - 1]!, mean: s.reduce((a, b) => a + b, 0) / n };
}

/** The median of a list of samples. */
export function median(samples: readonly number[]): number {
  return percentiles(samples).p50;
}

/** Runs `fn` `times` times and returns each run's duration in ms. */
export function timeEach(times: number, fn: (i: number) => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

/** A target a section checks: `value` (in `unit`) must be at most `max`. */
export interface Aim {
  name: string;
  value: number;
  max: number;
  unit: string;
}

export interface SectionResult {
  lines: string[];
  aims?: Aim[];
}

export interface Section {
  name: string;
  fn: () => SectionResult | Promise<SectionResult>;
}

const sections: Section[] = [];

/** Registers a section of the benchmark; sections run in the order they are registered. */
export function section(name: string, fn: Section['fn']): void {
  sections.push({ name, fn });
}

export const ms = (v: number, digits = 3): string => `${v.toFixed(digits)} ms`;

/** One aim as the bench prints it: its name (padded to `width`), its value, the aim, met or not. */
export function aimLine(a: Aim, width = 0): string {
  return `${a.name.padEnd(width)}  ${a.value.toFixed(3)} ${a.unit} (aim ≤ ${a.max} ${a.unit})  ${a.value <= a.max ? 'met' : 'NOT MET'}`;
}

/**
 * Runs one section's function when the file that calls this is the one node was started with (`tsx
 * bench/slack.ts`): its lines, then its aims; exit code 1 when it throws.
 */
export function runIfMain(moduleUrl: string, fn: () => Promise<SectionResult>): void {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  fn().then(
    (r) => {
      for (const l of r.lines) console.log(l);
      for (const a of r.aims ?? []) console.log(aimLine(a));
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}

/**
 * Runs the registered sections (those whose name starts with one of `only`, when given), prints their lines and
 * aims; returns whether every aim was met.
 */
export async function runSections(out: (line: string) => void = (l) => console.log(l), only: readonly string[] = []): Promise<boolean> {
  const all: Aim[] = [];
  for (const s of sections) {
    if (only.length > 0 && !only.some((o) => s.name.startsWith(o))) continue;
    const t0 = performance.now();
    out(`\n== ${s.name} ==`);
    const r = await s.fn();
    for (const l of r.lines) out(l);
    all.push(...(r.aims ?? []));
    out(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  if (all.length) {
    out('\n== aims ==');
    const width = Math.max(...all.map((a) => a.name.length));
    for (const a of all) out(aimLine(a, width));
  }
  return all.every((a) => a.value <= a.max);
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------------------------

const devFile = fileURLToPath(new URL('../eval/dev.jsonl', import.meta.url));
/** The questions timed: the guide-vocabulary sample and the real questions (long ones and pastes among them). */
const benchFiles = ['../eval/dev.jsonl', '../eval/real-dev.jsonl', '../eval/real-blind.jsonl'].map((f) => fileURLToPath(new URL(f, import.meta.url)));

/** The queries of an evaluation file (only the `q` field). */
export function readQueries(file: string = devFile): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { q: string }).q);
}

/**
 * A plain MiniSearch with default options over the very documents the Searcher indexes: no name index, no
 * stemming, no typo handling, no confidence. It is the floor the bot's own cost is measured against.
 */
function buildPlain(docs: SearchDoc[], facts: FactDoc[]): MiniSearch {
  const m = new MiniSearch({ fields: [...searchFields, 'asks', 'answer', 'errors'] });
  m.addAll([...docs, ...facts]);
  return m;
}

type FactDoc = { id: string; asks: string; answer: string; errors: string };

// ---------------------------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------------------------

const builds = 20;
/** Passes over the query set for latency, after a warm-up pass. */
const passes = 30;

let core: Core | undefined;
const getCore = (): Core => (core ??= loadCore());

section('search: index build and per-query latency', () => {
  // The memory the knowledge adds: the heap before and after loading and indexing it (with --expose-gc, after a GC).
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const c = getCore();
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const entries = c.kb.entries;
  const docs = entries.map((e) => toDoc(e, c.kb.byId));
  const factDocs: FactDoc[] = c.kb.facts.map((f) => ({
    id: `fact:${f.id}`,
    asks: f.asks.join(' ; '),
    answer: f.answer,
    errors: f.errors.join(' ; '),
  }));
  const queries = benchFiles.flatMap((f) => readQueries(f));

  // (a) Index build: a few warm-up builds, then the median of `builds`.
  const build = (): Searcher => new Searcher(entries, defaultSearchOptions, c.kb.facts);
  for (let i = 0; i < 3; i++) {
    build();
    buildPlain(docs, factDocs);
  }
  const ourBuild = median(timeEach(builds, () => void build()));
  const plainBuild = median(timeEach(builds, () => void buildPlain(docs, factDocs)));
  // What a compiled start does instead (dist/search-index.json): the indexes read back from their JSON.
  const indexJson = JSON.stringify(build().toJSON());
  const readBack = median(timeEach(builds, () => void new Searcher(entries, defaultSearchOptions, c.kb.facts, JSON.parse(indexJson))));

  // (b) Per query: our answer + render, and a plain MiniSearch search alone. Warm up, then `passes` passes.
  const plain = buildPlain(docs, factDocs);
  let sink = 0;
  const ours = (q: string): void => {
    const m = c.render.answer(c.answer.ask(q));
    sink += m.blocks.length;
  };
  const theirs = (q: string): void => {
    sink += plain.search(q.slice(0, 500)).length;
  };
  for (let i = 0; i < 3; i++)
    for (const q of queries) {
      ours(q);
      theirs(q);
    }
  const ourTimes: number[] = [];
  const plainTimes: number[] = [];
  for (let p = 0; p < passes; p++) {
    // Interleave so that drift (GC, CPU frequency) hits both alike.
    ourTimes.push(...timeEach(queries.length, (i) => ours(queries[i]!)));
    plainTimes.push(...timeEach(queries.length, (i) => theirs(queries[i]!)));
  }
  const o = percentiles(ourTimes);
  const p = percentiles(plainTimes);

  // Where the time goes: answer alone, render alone, and the slowest queries by their median over the passes.
  const answers = queries.map((q) => c.answer.ask(q));
  const answerTimes: number[] = [];
  const renderTimes: number[] = [];
  for (let k = 0; k < Math.ceil(passes / 3); k++) {
    answerTimes.push(...timeEach(queries.length, (i) => void (sink += c.answer.ask(queries[i]!).results.length)));
    renderTimes.push(...timeEach(queries.length, (i) => void (sink += c.render.answer(answers[i]!).blocks.length)));
  }
  const perQuery = queries.map((_, i) => median(ourTimes.filter((_, j) => j % queries.length === i)));
  const slowest = perQuery
    .map((t, i) => ({ t, q: queries[i]! }))
    .sort((a, b) => b.t - a.t)
    .slice(0, 3);
  if (sink < 0) console.log(sink); // keeps the work observable
  // The sections after this one drive other processes from this one (the fake Slack): not with this core's heap.
  core = undefined;

  const line = (name: string, build: number, l: Percentiles): string =>
    `${name.padEnd(7)} build ${build.toFixed(1).padStart(6)} ms  p50 ${ms(l.p50)}  p99 ${ms(l.p99)}  max ${ms(l.max)}`;
  const x = (a: number, b: number): string => `${(a / b).toFixed(1)}×`;
  return {
    lines: [
      `${entries.length} entries and ${c.kb.facts.length} facts; ${queries.length} questions (dev, real-dev, real-blind) × ${passes} passes (${o.n} samples each); build: median of ${builds}`,
      'search = core.answer.ask(q) + core.render.answer(a); plain = one MiniSearch with default options over the same entry and fact text, search(q) alone',
      `knowledge in memory after start: ${((heapAfter - heapBefore) / 1048576).toFixed(1)} MiB of heap${gc ? '' : ' (run with --expose-gc for a figure after GC)'}`,
      line('search', ourBuild, o),
      line('plain', plainBuild, p),
      `ratio   build ${x(ourBuild, plainBuild)}  p50 ${x(o.p50, p.p50)}  p99 ${x(o.p99, p.p99)}`,
      `read back from the build's JSON (${(indexJson.length / 1048576).toFixed(1)} MB, JSON.parse included; what the compiled bot does at start): ${readBack.toFixed(1)} ms (median of ${builds})`,
      `  of which answer p50 ${ms(percentiles(answerTimes).p50)} p99 ${ms(percentiles(answerTimes).p99)};` +
        ` render p50 ${ms(percentiles(renderTimes).p50)} p99 ${ms(percentiles(renderTimes).p99)}`,
      `  slowest questions (median): ${slowest.map((s) => `${JSON.stringify(s.q.slice(0, 40))} ${ms(s.t)}`).join(', ')}`,
    ],
    aims: [
      { name: 'search p50 (answer + render)', value: o.p50, max: 0.3, unit: 'ms' },
      { name: 'search p99 (answer + render)', value: o.p99, max: 1, unit: 'ms' },
      { name: 'search index build, entries and facts (median)', value: ourBuild, max: 300, unit: 'ms' },
    ],
  };
});

// The Slack runtime (issues 3 and 12): the compiled bot beside a bare Bolt app acking the same card, each its own
// process against the fake Slack: RSS after start, spawn → connected, slash command → ack. bench/slack.ts.
section('slack: the compiled bot beside a bare Bolt app (RSS after start, spawn → connected, ack)', async () =>
  (await import('./slack.js')).slackBench(),
);

// The burst (issue 12): 2,000 mixed events, at most 50 unacked, with SQLite and with Redis: mention reply p99, RSS
// after the burst. bench/burst.ts.
section('burst: 2,000 mixed events through the fake Slack, with SQLite and with Redis', async () => (await import('./burst.js')).burstBench());

// ---------------------------------------------------------------------------------------------------------------

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const strict = process.argv.includes('--strict');
  const t0 = performance.now();
  const load = loadavg()[0]!;
  const cpus = availableParallelism();
  console.log(`node ${process.version}, ${cpus} CPUs, load ${load.toFixed(1)}${load > cpus ? ' (busy machine: tail latencies are noisy)' : ''}`);
  // `--only search` (or slack, burst): those sections alone.
  const only = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--only' ? a.split(',') : []));
  runSections(undefined, only).then(
    (ok) => {
      console.log(`\n${ok ? 'all aims met' : 'some aims not met'} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      if (strict && !ok) process.exitCode = 1;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
