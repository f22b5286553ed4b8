import { describe, expect, it } from 'vitest';
import { buildKnowledge, KnowledgeError, type KnowledgeProblem, type SourceFile } from '../../src/knowledge/load.js';

const service = (id: string, extra = ''): string => `id: ${id}
kind: service
name: Amazon ${id.toUpperCase()}
full_name: Amazon ${id} service
categories: [category-x]
purpose: Does ${id} things
related: []
docs: https://docs.aws.amazon.com/${id}/
${extra}`;

const category = (services: string[]): SourceFile => ({
  name: 'categories/x.yaml',
  text: `id: category-x\nkind: category\nname: X things\nsummary: The X things.\nservices: [${services.join(', ')}]\n`,
});

function problems(files: SourceFile[]): KnowledgeProblem[] {
  try {
    buildKnowledge(files);
  } catch (err) {
    if (err instanceof KnowledgeError) return err.problems;
    throw err;
  }
  throw new Error('expected the knowledge to be rejected');
}

describe('loading knowledge', () => {
  it('accepts valid files, one entry per file or several in a sequence', () => {
    const kb = buildKnowledge([
      { name: 'services/a.yaml', text: service('aaa') },
      { name: 'services/bc.yaml', text: `- ${service('bbb').split('\n').join('\n  ')}\n- ${service('ccc').split('\n').join('\n  ')}` },
      category(['aaa', 'bbb', 'ccc']),
    ]);
    expect(kb.entries.map((e) => e.id).sort()).toEqual(['aaa', 'bbb', 'category-x', 'ccc']);
    expect(kb.byId.get('aaa')?.kind).toBe('service');
  });

  it('names the file and line of a YAML syntax error', () => {
    const [p] = problems([{ name: 'services/broken.yaml', text: 'id: sqs\nkind: service\nname: [unclosed\n' }]);
    expect(p?.file).toBe('services/broken.yaml');
    expect(p?.line).toBeGreaterThanOrEqual(3);
    expect(p?.message).toMatch(/YAML/);
  });

  it('names the file, line and field of a value the schema rejects', () => {
    const bad = service('aaa').replace('docs: https://docs.aws.amazon.com/aaa/', 'docs: not-a-url');
    const found = problems([{ name: 'services/a.yaml', text: bad }, category(['aaa'])]);
    expect(found).toContainEqual(
      expect.objectContaining({ file: 'services/a.yaml', line: 8, field: 'docs', message: expect.stringMatching(/https/) }),
    );
  });

  it('reports a missing required field and an unknown field', () => {
    const text = service('aaa').replace('purpose: Does aaa things\n', '') + 'colour: blue\n';
    const found = problems([{ name: 'services/a.yaml', text }, category(['aaa'])]);
    expect(found.some((p) => p.field === 'purpose')).toBe(true);
    expect(found.some((p) => /colour/.test(p.message))).toBe(true);
  });

  it('rejects an unknown id in related, with its line', () => {
    const text = service('aaa').replace('related: []', 'related: [nope]');
    const found = problems([{ name: 'services/a.yaml', text }, category(['aaa'])]);
    expect(found).toContainEqual(expect.objectContaining({ file: 'services/a.yaml', line: 7, field: 'related[0]', message: 'unknown id "nope"' }));
  });

  it('rejects a duplicate id, naming both files', () => {
    const found = problems([
      { name: 'services/a.yaml', text: service('aaa') },
      { name: 'services/a-again.yaml', text: service('aaa').replace('name: Amazon AAA', 'name: Amazon AAA Two') },
      category(['aaa']),
    ]);
    expect(found).toContainEqual(
      expect.objectContaining({
        file: 'services/a-again.yaml',
        field: 'id',
        message: expect.stringMatching(/duplicate id "aaa".*services\/a\.yaml/),
      }),
    );
  });

  it('rejects one alias claimed by two entries, whatever its case or "Amazon" prefix', () => {
    const found = problems([
      { name: 'services/a.yaml', text: service('aaa', 'aliases: [queue thing]') },
      { name: 'services/b.yaml', text: service('bbb', 'aliases: [Amazon Queue-Thing]') },
      category(['aaa', 'bbb']),
    ]);
    expect(found).toContainEqual(
      expect.objectContaining({ file: 'services/b.yaml', line: 9, field: 'aliases[0]', message: expect.stringMatching(/already claimed by "aaa"/) }),
    );
  });

  it('rejects two aliases that the name index would read as one key ("queue thing" and "queuething")', () => {
    const found = problems([
      { name: 'services/a.yaml', text: service('aaa', 'aliases: [queue thing]') },
      { name: 'services/b.yaml', text: service('bbb', 'aliases: [queuething]') },
      category(['aaa', 'bbb']),
    ]);
    expect(found).toContainEqual(
      expect.objectContaining({ file: 'services/b.yaml', field: 'aliases[0]', message: expect.stringMatching(/already claimed by "aaa"/) }),
    );
  });

  it('rejects a category that disagrees with the services naming it', () => {
    const found = problems([{ name: 'services/a.yaml', text: service('aaa') }, { name: 'services/b.yaml', text: service('bbb') }, category(['aaa'])]);
    expect(found).toContainEqual(
      expect.objectContaining({ file: 'categories/x.yaml', field: 'services', message: expect.stringMatching(/missing bbb/) }),
    );
  });

  it('reports every problem at once, not just the first', () => {
    const found = problems([
      { name: 'services/a.yaml', text: service('aaa').replace('related: []', 'related: [nope]') },
      { name: 'services/b.yaml', text: 'id: BAD ID\n' },
      category(['aaa']),
    ]);
    expect(new Set(found.map((p) => p.file))).toEqual(new Set(['services/a.yaml', 'services/b.yaml']));
    expect(new KnowledgeError(found).message).toMatch(/services\/a\.yaml:7 related\[0\]: unknown id "nope"/);
  });

  it('reads the unlisted services, and rejects one named as an entry is, or without a docs.aws.amazon.com page', () => {
    const unlisted = (says: string, docs = 'https://docs.aws.amazon.com/zzz/'): SourceFile => ({
      name: 'unlisted/services.yaml',
      text: `kind: unlisted\nservices:\n  - name: Amazon ZZZ\n    says: [${says}]\n    docs: ${docs}\n`,
    });
    const files = [{ name: 'services/a.yaml', text: service('aaa') }, category(['aaa'])];
    expect(buildKnowledge([...files, unlisted('zzz store')]).unlisted.map((u) => u.name)).toEqual(['Amazon ZZZ']);
    const named = problems([...files, unlisted('amazon aaa')]);
    expect(named).toEqual([
      expect.objectContaining({ file: 'unlisted/services.yaml', line: 4, field: 'says[0]', message: expect.stringContaining('"aaa"') }),
    ]);
    const docs = problems([...files, unlisted('zzz store', 'https://example.com/zzz')]);
    expect(docs[0]).toMatchObject({ file: 'unlisted/services.yaml', message: expect.stringContaining('docs.aws.amazon.com') });
  });
});
