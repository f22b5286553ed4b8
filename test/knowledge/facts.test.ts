/** Facts: what the loader refuses, the JSON Schemas editors use, the 12-month check, and the coverage the knowledge promises. */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleFacts } from '../../src/cli/check.js';
import { defaultKnowledgeDir } from '../../src/core.js';
import { loadCore } from '../../src/loadCore.js';
import { knowledgeJsonSchemas, schemaLine } from '../../src/knowledge/jsonSchema.js';
import { buildKnowledge, KnowledgeError, readKnowledgeDir, type KnowledgeProblem, type SourceFile } from '../../src/knowledge/load.js';
import type { Fact } from '../../src/knowledge/schema.js';

const service = `id: aaa
kind: service
name: Amazon AAA
full_name: Amazon AAA service
categories: [category-x]
purpose: Does things
docs: https://docs.aws.amazon.com/aaa/
`;
const category: SourceFile = { name: 'categories/x.yaml', text: 'id: category-x\nkind: category\nname: X\nsummary: X things.\nservices: [aaa]\n' };
const factsFile = (body: string): SourceFile => ({ name: 'facts/aaa.yaml', text: `kind: facts\nentry: aaa\nfacts:\n${body}` });
const fact = (extra: Record<string, string | undefined> = {}): string => {
  const fields: Record<string, string | undefined> = {
    id: 'aaa-max-size',
    type: 'limit',
    answer: '"An item can be up to 1 MB."',
    asks: '[max item size]',
    source: 'https://docs.aws.amazon.com/aaa/latest/quotas.html',
    checked: '2026-11-30',
    ...extra,
  };
  const lines = Object.entries(fields).filter(([, v]) => v !== undefined);
  return lines.map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${v}`).join('\n') + '\n';
};

function problems(files: SourceFile[]): KnowledgeProblem[] {
  try {
    buildKnowledge(files);
  } catch (err) {
    if (err instanceof KnowledgeError) return err.problems;
    throw err;
  }
  return [];
}
const load = (body: string) => problems([{ name: 'services/aaa.yaml', text: service }, category, factsFile(body)]);

describe('a fact the loader refuses', () => {
  it('accepts a fact with its page and date, and keeps it with its entry', () => {
    expect(load(fact())).toEqual([]);
    const kb = buildKnowledge([{ name: 'services/aaa.yaml', text: service }, category, factsFile(fact())]);
    expect(kb.factsByEntry.get('aaa')).toMatchObject([{ id: 'aaa-max-size', entry: 'aaa', checked: '2026-11-30' }]);
  });

  it('without a source page or a checked date, naming the file, line and field', () => {
    expect(load(fact({ source: undefined }))).toContainEqual(expect.objectContaining({ file: 'facts/aaa.yaml', field: 'facts[0].source' }));
    expect(load(fact({ checked: undefined }))).toContainEqual(expect.objectContaining({ file: 'facts/aaa.yaml', field: 'facts[0].checked' }));
  });

  it('with a source outside the AWS documentation, or a date that is not a day', () => {
    expect(load(fact({ source: 'https://stackoverflow.com/q/1' }))).toContainEqual(expect.objectContaining({ field: 'facts[0].source' }));
    expect(load(fact({ source: 'https://docs.aws.amazon.com/ja_jp/aaa/latest/quotas.html' }))).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/English/) }),
    );
    expect(load(fact({ checked: '2026-02-30' }))).toContainEqual(expect.objectContaining({ field: 'facts[0].checked' }));
  });

  it("whose id is not its entry's, that is an error without error strings, or that names an unknown entry", () => {
    expect(load(fact({ id: 'bbb-max-size' }))).toContainEqual(
      expect.objectContaining({ field: 'id', message: expect.stringMatching(/must start with "aaa-"/) }),
    );
    expect(load(fact({ type: 'error' }))).toContainEqual(expect.objectContaining({ field: 'facts[0].errors' }));
    expect(load(fact({ type: 'choice', versus: '[zzz]' }))).toContainEqual(
      expect.objectContaining({ field: 'versus[0]', message: 'unknown id "zzz"' }),
    );
  });

  it('defined twice', () => {
    expect(load(fact() + fact())).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/duplicate fact id/) }));
  });
});

describe('editor support', () => {
  it('the committed JSON Schemas are the ones the zod schema generates (run `npm run schema`)', () => {
    for (const [name, text] of Object.entries(knowledgeJsonSchemas()))
      expect(readFileSync(join(defaultKnowledgeDir, 'schema', name), 'utf8'), name).toBe(text);
  });

  it('every knowledge file names its schema on its first line', () => {
    const wrong = readKnowledgeDir(defaultKnowledgeDir)
      .filter((f) => f.text.split('\n')[0] !== schemaLine(basename(dirname(join('x', f.name)))))
      .map((f) => f.name);
    expect(wrong).toEqual([]);
    expect(readdirSync(join(defaultKnowledgeDir, 'schema')).sort()).toEqual(Object.keys(knowledgeJsonSchemas()).sort());
  });
});

describe('npm run check', () => {
  it('lists a fact last checked more than 12 months ago, and not one checked 11 months ago', () => {
    const f = (id: string, checked: string) => ({ id, checked }) as Fact;
    expect(staleFacts({ facts: [f('a-old', '2025-11-01'), f('a-recent', '2026-01-05')] }, '2026-12-01').map((x) => x.id)).toEqual(['a-old']);
  });
});

describe('the knowledge has the facts it promises', () => {
  const { kb } = loadCore();
  // The services people ask about most (public Q&A sites, by volume): 25 facts each; every other service 8.
  const mostAsked = `ec2 s3 lambda iam vpc rds aurora dynamodb ecs eks fargate ecr cloudformation cdk api-gateway cloudwatch sqs sns
    eventbridge step-functions kinesis route-53 cloudfront elb ebs efs kms secrets-manager cognito elasticache`.split(/\s+/);

  it('every service has facts: the most asked at least 25, every other at least 8', () => {
    expect(mostAsked).toHaveLength(30);
    const short: string[] = [];
    for (const e of kb.entries) {
      if (e.kind !== 'service') continue;
      const n = kb.factsByEntry.get(e.id)?.length ?? 0;
      if (n < (mostAsked.includes(e.id) ? 25 : 8)) short.push(`${e.id}: ${n}`);
    }
    expect(short).toEqual([]);
  });

  it('at least 80 error facts, across at least 30 services', () => {
    const errors = kb.facts.filter((f) => f.type === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(80);
    expect(new Set(errors.map((f) => f.entry)).size).toBeGreaterThanOrEqual(30);
  });

  it('no fact is checked in the future, and every answer stays short enough to lead a reply', () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(kb.facts.filter((f) => f.checked > today).map((f) => f.id)).toEqual([]);
    expect(kb.facts.filter((f) => f.answer.length > 600).map((f) => f.id)).toEqual([]);
  });
});
