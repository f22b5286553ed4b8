/**
 * What the reply leads with: the fact that answers a question, an error fact found inside a long paste, an honest
 * "I don't have that detail", another cloud's product answered by its counterpart, and no answer for what is not AWS.
 * The questions are written for these tests (not taken from the evaluation sets).
 */
import { describe, expect, it } from 'vitest';
import { blocksToText } from '../../src/render/plain.js';
import { isGenericError } from '../../src/answer/index.js';
import { commonErrorCodes } from '../../src/search/facts.js';
import { buildCore } from '../../src/core.js';
import { factSchema } from '../../src/knowledge/schema.js';
import { getCore } from '../support/deps.js';

const core = getCore();
const ask = (q: string) => core.answer.ask(q);
const shown = (q: string) => blocksToText(core.render.answer(ask(q)).blocks);

describe('a question after a detail', () => {
  it('leads with the fact, its page and the day it was checked; the service follows in one line', () => {
    const a = ask('sqs max message size?');
    expect(a.results[0]?.entry.id).toBe('sqs');
    expect(a.facts.map((f) => f.id)).toEqual(['sqs-max-message-size']);
    const text = shown('sqs max message size?');
    expect(text.indexOf('1 MiB')).toBeLessThan(text.indexOf('Amazon SQS'));
    expect(text).toContain('checked 2026-12-01');
    expect(text).toContain('quotas-messages.html');
    expect(text).toContain('[Open the card]');
  });

  it("an alias's own words are part of what is asked: the Backup vault lock, not the vault", () => {
    expect(ask('steps to remove the backup vault lock on a vault').facts.map((f) => f.id)).toEqual(['backup-vault-lock-cooling-off']);
    // A question that is only a name still gets the card.
    expect(ask('gateway load balancer').facts).toEqual([]);
  });

  it('an error fact answers a question that describes the symptom without the word "error"', () => {
    expect(ask('iot core devices disconnected randomly').facts.map((f) => f.id)).toContain('iot-core-disconnect-reasons');
  });

  it('a fact ranked below the best leads only by covering more of the question, not as much', () => {
    // "change" is in both the vault lock fact and the cold-storage one; the vault lock's is the better match, but
    // not by enough to lead, and the cold-storage fact must not lead in its place.
    const a = ask('how to change the backup vault lock');
    expect(a.results[0]?.entry.id).toBe('backup');
    expect(a.facts.map((f) => f.id)).not.toContain('backup-cold-transition-fixed');
  });

  it('a long question about something no description says is answered by the fact far ahead of the rest', () => {
    const a = ask('our amplify build keeps failing after running for a long time on a big site');
    expect(a.facts.map((f) => f.id)).toEqual(['amplify-build-timeout']);
    // A question as long that asks for the service, which its description covers better than any fact, gets the card.
    const card = ask('we need file storage that many linux servers mount together over nfs');
    expect(card).toMatchObject({ kind: 'entry', facts: [] });
    expect(card.results[0]?.entry.id).toBe('efs');
  });

  it('a fact tied with one set aside as not the kind of answer asked for (an error, for a question about no problem) does not lead in its place', () => {
    // The integration-timeout error and the HTTP API CORS fact match this follow-up alike; the error is set aside
    // (nothing in the question is going wrong), and CORS is not the answer either.
    const a = core.answer.ask('can the backend take longer than that to answer?', { subject: 'api-gateway' });
    expect(a.facts.map((f) => f.id)).not.toContain('api-gateway-http-api-cors');
  });

  it('the named service keeps the question even when another shares its words', () => {
    expect(ask('largest message amazon sqs accepts').results[0]?.entry.id).toBe('sqs');
  });

  it("a question that names one service beside words no entry knows (an error name, a project's jargon) is about that service", () => {
    expect(ask('why is lambda showing FrobnicatorQuuxError in the zorblax wibbleton quimbly?').results[0]?.entry.id).toBe('lambda');
  });

  it('a question that names services is answered from their facts, not from another service sharing a word', () => {
    const a = ask('reaching an rds database from inside a lambda handler');
    expect(a.facts.every((f) => ['rds', 'lambda'].includes(f.entry))).toBe(true);
    expect(a.results[0]?.entry.id).not.toBe('efs');
  });

  it("a detail the knowledge lacks gets an honest line and the service's card, never another service's fact", () => {
    const a = ask('maximum number of tags per amazon sqs queue');
    expect(a).toMatchObject({ kind: 'entry', missing: true, facts: [] });
    expect(a.results[0]?.entry.id).toBe('sqs');
    expect(shown('maximum number of tags per amazon sqs queue')).toMatch(/I don't have that detail for Amazon SQS/);
  });

  it('"what is X" is the card, as before, with its most-asked facts under it', () => {
    const a = ask('what is amazon sqs');
    expect(a.facts).toEqual([]);
    expect(shown('what is amazon sqs')).toContain('Often asked');
  });
});

describe('a pasted error', () => {
  const specific = (e: string): boolean => e.length >= 12 && !commonErrorCodes.has(e);
  const errorFacts = core.kb.facts.filter((f) => f.type === 'error' && f.errors.some(specific));

  it('is found inside a long paste (a stack trace, the SDK naming its service) and answered by its error fact, for every error message of the knowledge', () => {
    expect(errorFacts.length).toBeGreaterThan(40);
    const noise = 'at com.example.Worker.run(Worker.java:42)\n  at java.base/java.lang.Thread.run(Thread.java:1583)\n'.repeat(30);
    const missed: string[] = [];
    for (const f of errorFacts) {
      const message = f.errors.find(specific)!;
      const service = f.entry.replace(/-/g, '');
      const paste =
        `ERROR 2026-11-30T10:00:00Z request failed\n${noise}Caused by: ${message} (Service: ${service}; Status Code: 400; Request ID: 1b2c)\n${noise}`.slice(
          0,
          4000,
        );
      const a = ask(paste);
      if (!a.facts.some((x) => x.entry === f.entry && x.type === 'error')) missed.push(`${f.id}: ${a.facts.map((x) => x.id).join(',') || a.kind}`);
    }
    expect(missed).toEqual([]);
  });

  it('an error code counts only as written and as a word of its own', () => {
    // A code only one service returns, so that the code alone says which.
    const owners = new Map<string, Set<string>>();
    for (const f of core.kb.facts) for (const e of f.errors) owners.set(e, (owners.get(e) ?? new Set()).add(f.entry));
    const code = [...owners].find(([e, o]) => /^[A-Z][a-z]+[A-Z]\w+Exception$/.test(e) && o.size === 1)![0];
    expect(ask(`we keep seeing ${code} in the logs`).facts.some((f) => f.errors.includes(code))).toBe(true);
    const pasted = (text: string) => core.searcher.errorsIn(text).map((h) => h.error);
    expect(pasted(`we keep seeing ${code} in the logs`)).toContain(code);
    expect(pasted(`we keep seeing ${code.toLowerCase()} in the logs`)).not.toContain(code);
    expect(pasted(`we keep seeing ${code}Foo in the logs`)).not.toContain(code);
  });

  it('a code every AWS API returns says that something failed, not which service or why: it decides nothing alone', () => {
    for (const code of ['AccessDeniedException', 'ValidationException', 'ThrottlingException'])
      expect(core.searcher.errorsIn(`An error occurred (${code}) when calling the operation`), code).toEqual([]);
  });

  it('a message several services share, with nothing naming the service, leads with no guess', () => {
    const owners = new Map<string, Set<string>>();
    for (const f of core.kb.facts) for (const e of f.errors) if (!commonErrorCodes.has(e)) owners.set(e, (owners.get(e) ?? new Set()).add(f.entry));
    const [message, services] = [...owners].find(([, o]) => o.size > 1)!;
    expect(ask(`getting ${message} again`).facts.filter((f) => f.errors.includes(message))).toEqual([]);
    const one = [...services][0]!;
    expect(ask(`getting ${message} from arn:aws:${one.replace(/-/g, '')}:us-east-1:123456789012:thing`).facts[0]?.entry).toBe(one);
  });

  it('a message of a few words ("Rate exceeded") is no other service\'s error in a paste that names a service', () => {
    // ("Error from cloudfront" names its service itself.)
    const generic = core.kb.facts.flatMap((f) =>
      f.errors.filter((e) => isGenericError(e) && core.searcher.servicesNamedIn(e).length === 0).map((e) => ({ e, entry: f.entry })),
    );
    expect(generic.length).toBeGreaterThan(0);
    for (const { e, entry } of generic) {
      const other = entry === 'sqs' ? 'sns' : 'sqs';
      const a = ask(`calling the ${other} api from our worker: ${e} (retrying)`);
      expect(
        a.facts.map((f) => f.entry),
        `${e} beside ${other}`,
      ).not.toContain(entry);
    }
  });

  it('of the services that list a code, the one whose other messages the paste holds too: that code is its error', () => {
    const owners = new Map<string, Set<string>>();
    for (const f of core.kb.facts) for (const e of f.errors) if (!commonErrorCodes.has(e)) owners.set(e, (owners.get(e) ?? new Set()).add(f.entry));
    const cases = core.kb.facts.flatMap((f) =>
      f.errors
        .filter((code) => (owners.get(code)?.size ?? 0) > 1 && !/\s/.test(code))
        .flatMap((code) =>
          f.errors
            .filter((m) => m !== code && owners.get(m)?.size === 1 && !code.includes(m) && !m.includes(code))
            .map((m) => ({ code, m, entry: f.entry })),
        ),
    );
    expect(cases.length).toBeGreaterThan(0);
    for (const { code, m, entry } of cases)
      expect(ask(`request failed [${code}: ${m}] at worker.js:12`).facts[0]?.entry, `${code} + ${m}`).toBe(entry);
  });
});

describe('other clouds, and what is not AWS', () => {
  it("another cloud's product by name gets its AWS counterpart, and the reply says it is the counterpart", () => {
    const a = ask('what is azure functions');
    expect(a).toMatchObject({ kind: 'entry', counterpartOf: 'Azure Functions' });
    expect(a.results[0]?.entry.id).toBe('lambda');
    expect(shown('what is azure functions')).toMatch(/Its AWS counterpart is \*?AWS Lambda/);
  });

  it("a question about another cloud's product that does not ask for AWS gets no answer", () => {
    expect(ask('how do I tune request units in azure cosmos db partitions').results).toEqual([]);
    expect(ask('what is the aws equivalent of azure cosmos db').results.length).toBe(1);
  });

  it('a question about something that is not AWS at all still gets no answer', () => {
    for (const q of ['how often should postgres autovacuum run', 'best sourdough hydration ratio']) expect(ask(q).results, q).toEqual([]);
  });
});

describe('an AWS service the knowledge has no entry for (knowledge/unlisted/)', () => {
  it('is named as such, with its documentation, not answered with another card', () => {
    const a = core.answer.ask('what is amazon keyspaces good for');
    expect(a.kind).toBe('none');
    expect(a.kind === 'none' && a.unlisted?.docs).toBe('https://docs.aws.amazon.com/keyspaces/');
    const m = core.render.answer(a);
    expect(m.text).toContain('Keyspaces');
    expect(JSON.stringify(m.blocks)).toContain('https://docs.aws.amazon.com/keyspaces/');
  });
  it('only by the names it is known by, as whole words: "connect to rds" is not Amazon Connect', () => {
    const a = core.answer.ask('how do I connect to rds from an ec2 instance');
    expect(a.kind).toBe('entry');
    expect(['rds', 'ec2']).toContain(a.results[0]?.entry.id);
    // and no fact of the other words ("terminate is irreversible" matched "instance")
    expect(a.facts.map((f) => f.id)).not.toContain('ec2-terminate-irreversible');
  });
  it('a question that also names a service the knowledge covers is about that one', () => {
    expect(core.answer.ask('amazon mq vs sqs for a job queue').results[0]?.entry.id).toBe('sqs');
  });
});

describe('a question of a word or two names the card, not a fact that happens to share a word', () => {
  it('"dynamodb tables" and "kinesis stream" give the service card alone', () => {
    for (const q of ['dynamodb tables', 'kinesis stream']) {
      const a = core.answer.ask(q);
      expect(a.kind, q).toBe('entry');
      expect(a.facts, q).toEqual([]);
    }
  });
  it('a fact asked for in so many words still leads', () => {
    expect(core.answer.ask('sqs max message size').facts[0]?.id).toBe('sqs-max-message-size');
  });
});

describe('two facts tied at the top', () => {
  // Two made-up SQS facts that a question matches alike; the rest of the knowledge as it is.
  const kb = getCore().kb;
  const made = (id: string, answer: string, asks: string[]) => ({
    ...factSchema.parse({
      id,
      type: 'howto',
      answer,
      asks,
      source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/welcome.html',
      checked: '2026-12-01',
    }),
    entry: 'sqs',
  });
  const tied = [
    made('sqs-made-up-tokens', 'Turn the quibble dial.', ['rotate quibble tokens', 'quibble token rotation']),
    made('sqs-made-up-secrets', 'Reset the quibble store.', ['rotate quibble secrets', 'quibble secret rotation']),
  ];
  const withTie = buildCore({
    ...kb,
    facts: [...kb.facts, ...tied],
    factsByEntry: new Map([...kb.factsByEntry, ['sqs', [...(kb.factsByEntry.get('sqs') ?? []), ...tied]]]),
  });

  it('a question both answer leads with both, rather than with neither', () => {
    const a = withTie.answer.ask('what is the way to rotate quibble on an sqs queue?');
    expect(a.results[0]?.entry.id).toBe('sqs');
    expect(a.facts.map((f) => f.id).sort()).toEqual(['sqs-made-up-secrets', 'sqs-made-up-tokens']);
  });

  it('a question of a few words that ties them gets the card', () => {
    const a = withTie.answer.ask('rotate quibble sqs');
    expect(a.results[0]?.entry.id).toBe('sqs');
    expect(a.facts).toEqual([]);
  });
});

describe('a way of asking found whole in the question', () => {
  const kb = getCore().kb;
  const made = (id: string, answer: string, asks: string[]) => ({
    ...factSchema.parse({
      id,
      type: 'limit',
      answer,
      asks,
      source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/welcome.html',
      checked: '2026-12-01',
    }),
    entry: 'sqs',
  });
  // Made-up SQS facts: a general timeout, and the timeout of one kind of queue.
  const timeouts = [
    made('sqs-made-up-timeout', 'A quibble times out after 5 minutes.', ['maximum quibble timeout', 'quibble timeout']),
    made('sqs-made-up-zorp-timeout', 'A zorp quibble times out after 9 minutes.', ['zorp quibble timeout', 'zorp quibble limit']),
  ];
  const core2 = buildCore({
    ...kb,
    facts: [...kb.facts, ...timeouts],
    factsByEntry: new Map([...kb.factsByEntry, ['sqs', [...(kb.factsByEntry.get('sqs') ?? []), ...timeouts]]]),
  });

  it('does not lead alone when a fact close to it answers more of what is asked', () => {
    const a = core2.answer.ask('what is the maximum quibble timeout for zorp queues in sqs?');
    expect(a.facts[0]?.id).toBe('sqs-made-up-zorp-timeout');
  });

  it('leads when nothing else comes close', () => {
    expect(core2.answer.ask('sqs maximum quibble timeout').facts.map((f) => f.id)).toEqual(['sqs-made-up-timeout']);
  });
});

describe('a fact set aside as not the kind of answer asked for', () => {
  const kb = getCore().kb;
  const made = (id: string, type: 'error' | 'howto', answer: string, asks: string[], errors: string[] = []) => ({
    ...factSchema.parse({
      id,
      type,
      answer,
      asks,
      errors,
      source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/welcome.html',
      checked: '2026-12-01',
    }),
    entry: 'sqs',
  });
  // Made-up SQS facts: an error whose answer's text holds the how-to question's words, and the how-to itself.
  const facts = [
    made(
      'sqs-made-up-error',
      'error',
      'QuibbleFault: the zorp could not pass the quibble to the frobnicator queue; retry the zorp.',
      ['quibble fault'],
      ['QuibbleFault'],
    ),
    made('sqs-made-up-howto', 'howto', 'Set the Quibble attribute on the queue.', ['pass a quibble to a queue', 'quibble attribute']),
  ];
  const core3 = buildCore({
    ...kb,
    facts: [...kb.facts, ...facts],
    factsByEntry: new Map([...kb.factsByEntry, ['sqs', [...(kb.factsByEntry.get('sqs') ?? []), ...facts]]]),
  });

  it('does not stand in the way of the fit fact when it matches only in its answer text', () => {
    // The error scores highest (its answer holds most of the words), but nothing here is going wrong.
    expect(core3.answer.ask('how to pass the zorp quibble to a frobnicator sqs queue').facts.map((f) => f.id)).toEqual(['sqs-made-up-howto']);
  });
});
