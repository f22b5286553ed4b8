/**
 * `ask` (CONTRACT.md §2) as scripts use it: a child process, its stdout, its exit status.
 */
import { describe, expect, it } from 'vitest';
import { runToEnd, tsx, type Run } from '../support/run.js';

const timeout = 60_000;

const run = (cmd: string, args: string[], input?: string): Promise<Run> => runToEnd(cmd, args, input === undefined ? {} : { input });

const ask = (args: string[], input?: string): Promise<Run> => run(tsx, ['src/cli/ask.ts', ...args], input);

interface AskJson {
  query: string;
  results: { id: string; title: string; score: number }[];
  suggestions?: { id: string; title: string }[];
  blocks: { type: string }[];
}

const lines = (s: string): string[] => s.split('\n').filter((l) => l.trim());

describe('ask --json', () => {
  it('one query: one JSON line with the query, the results and the blocks', { timeout }, async () => {
    const r = await ask(['--json', 'sqs']);
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(1);
    const j = JSON.parse(out[0]!) as AskJson;
    expect(j.query).toBe('sqs');
    expect(j.results[0]?.id).toBe('sqs');
    expect(j.results[0]?.title).toBe('Amazon SQS');
    expect(typeof j.results[0]?.score).toBe('number');
    expect(Number.isFinite(j.results[0]?.score)).toBe(true);
    expect(Array.isArray(j.blocks)).toBe(true);
    expect(j.blocks.length).toBeGreaterThan(0);
    expect(j.blocks[0]?.type).toBe('header');
  });

  it('through npm, as the contract shows it', { timeout }, async () => {
    const r = await run('npm', ['run', '--silent', 'ask', '--', '--json', 'ecs vs eks']);
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(1);
    const j = JSON.parse(out[0]!) as AskJson;
    expect(j.results.map((x) => x.id)).toEqual(['ecs', 'eks']);
  });

  it('batch: one query per stdin line, one JSON line per query, in order', { timeout }, async () => {
    const queries = ['k8s', 'where should I keep database passwords?', 'rds or aurora'];
    const r = await ask(['--json'], queries.join('\n') + '\n');
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout).map((l) => JSON.parse(l) as AskJson);
    expect(out.map((j) => j.query)).toEqual(queries);
    expect(out[0]?.results[0]?.id).toBe('eks');
    expect(out[1]?.results[0]?.id).toBe('secrets-manager');
    expect(out[2]?.results.map((x) => x.id)).toEqual(['rds', 'aurora']);
    for (const j of out) expect(j.blocks.length).toBeGreaterThan(0);
  });

  it('a query that is not about AWS: results [] and exit 0', { timeout }, async () => {
    const r = await ask(['--json', 'tell me a joke']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(lines(r.stdout)[0]!) as AskJson;
    expect(j.query).toBe('tell me a joke');
    expect(j.results).toEqual([]);
    expect(j.blocks.length).toBeGreaterThan(0);
  });
});

describe('ask usage', () => {
  it('an unknown option is a usage error: non-zero exit, usage on stderr, nothing on stdout', { timeout }, async () => {
    const r = await ask(['--bogus', 'sqs']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/usage/i);
    expect(r.stdout).toBe('');
  });

  it('two query arguments are a usage error', { timeout }, async () => {
    const r = await ask(['sqs', 'sns']);
    expect(r.code).not.toBe(0);
  });
});

describe('ask as text', () => {
  it("prints the card's header text", { timeout }, async () => {
    const r = await ask(['sqs']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Amazon SQS');
    expect(r.stdout).toContain('Amazon Simple Queue Service');
    expect(r.stdout).not.toContain('"blocks"');
  });
});
