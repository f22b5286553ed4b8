/** Whether the bot replies to a thread message nobody addressed to it (src/followup.ts). */
import { describe, expect, it } from 'vitest';
import { readsAsQuestion, repliesToFollowUp } from '../src/followup.js';
import { getCore } from './support/deps.js';

const core = getCore();
const replies = (q: string, subject: string): boolean =>
  repliesToFollowUp(q, core.answer.ask(q, { subject }), core.searcher.servicesNamedIn(q), subject);

describe('a thread message without a mention', () => {
  it('reads as a question with a question mark, or with the first words of a question or a follow-up', () => {
    for (const q of [
      'and the max size',
      'what about FIFO',
      'how do I set it',
      'does that work with lambda',
      'any limit on that?',
      "what's the default",
    ])
      expect(readsAsQuestion(q), q).toBe(true);
    for (const q of [
      'thanks, that helps!',
      'LGTM',
      '+1 this would be amazing',
      'Done, we now have a filter on the SNS Topic Subscription.',
      'Thanks; merged.',
    ])
      expect(readsAsQuestion(q), q).toBe(false);
  });

  it('gets a reply about the subject, or about a service it names; chatter and answers about unnamed services get none', () => {
    expect(replies('and the max message size?', 'sqs')).toBe(true);
    expect(replies('what about lambda?', 'sqs')).toBe(true);
    expect(replies('how does it compare to sns?', 'sqs')).toBe(true);
    for (const q of ['thanks, that helps!', 'Not quite the same thing.', 'Thanks for this awesome resource!'])
      expect(replies(q, 'sqs'), q).toBe(false);
    // A question, answered confidently by the search, but about a service it does not name: not a question for the bot.
    const q = 'Hello, is there any update about this issue?';
    const a = core.answer.ask(q, { subject: 'dynamodb' });
    expect(a.results[0]?.entry.id).not.toBe('dynamodb');
    expect(replies(q, 'dynamodb')).toBe(false);
  });

  it("thread talk that shares a word with one of the subject's facts gets no reply; a follow-up the fact answers does", () => {
    for (const [q, subject] of [
      ['what time is the standup?', 'sqs'],
      ['could you send me the link?', 'sqs'],
      ["what's the status of the migration?", 'rds'],
    ] as const) {
      // Each shares one word with a fact of the subject (a wait time, a message group, billing by status)…
      expect(core.searcher.factsFor(core.searcher.parse(q), [subject]).length, q).toBeGreaterThan(0);
      // …and leads with none of them, so nothing is posted.
      expect(core.answer.ask(q, { subject }).facts, q).toEqual([]);
      expect(replies(q, subject), q).toBe(false);
    }
    expect(core.answer.ask('how long does failover take?', { subject: 'rds' }).facts.map((f) => f.id)).toEqual(['rds-multi-az-failover-time']);
  });

  it('a service named by an everyday word in a sentence about something else is chatter; named on its own, it is asked about', () => {
    for (const q of ['can you share your config?', 'did the backup finish last night?', 'are the budgets approved for next quarter?']) {
      // The search alone would show that service's card: the follow-up test is what keeps the thread quiet.
      expect(core.answer.ask(q, { subject: 'sqs' }).results[0]?.entry.kind, q).toBe('service');
      expect(replies(q, 'sqs'), q).toBe(false);
    }
    for (const [q, id] of [
      ['what about AWS Config?', 'config'],
      ['and backup?', 'backup'],
      ['what about kinesis?', 'kinesis'],
    ] as const) {
      expect(core.answer.ask(q, { subject: 'sqs' }).results[0]?.entry.id, q).toBe(id);
      expect(replies(q, 'sqs'), q).toBe(true);
    }
  });
  it("another service's name inside a question about the subject is one of its words: the subject's facts answer it", () => {
    // "kms" names AWS KMS, and KMS permissions are what a Secrets Manager thread asks about here.
    const q = 'which kms permissions does reading a secret need?';
    const a = core.answer.ask(q, { subject: 'secrets-manager' });
    expect(a.results[0]?.entry.id).toBe('secrets-manager');
    expect(a.facts.length).toBeGreaterThan(0);
    expect(a.facts.every((f) => f.entry === 'secrets-manager' && /kms:Decrypt/.test(f.answer))).toBe(true);
    expect(replies(q, 'secrets-manager')).toBe(true);
  });
});

describe('a follow-up about the subject', () => {
  it('thread talk of a word or two that a fact of the subject happens to hold gets no reply', () => {
    for (const [q, subject] of [
      ['is that why the job failed?', 's3'],
      ['could you paste the error?', 'sqs'],
      ['are we rolling back?', 'dynamodb'],
    ] as const)
      expect(replies(q, subject), q).toBe(false);
    // A follow-up as short that asks for a fact by its ways of asking still gets it.
    expect(replies('and the max size?', 'sqs')).toBe(true);
  });

  it('people asking each other about one thing get no reply; the same words asked of the bot do', () => {
    for (const [q, subject] of [
      ['did you restart it?', 'ecs'],
      ['what region are you in?', 'api-gateway'],
      ['what version are we on?', 's3'],
    ] as const)
      expect(replies(q, subject), q).toBe(false);
    expect(replies('can you show me the limits?', 'sqs')).toBe(true);
  });
  it("leads with the subject's fact that covers all of it, when it scores well ahead of the next (not twice)", () => {
    // GetMetricData's limits score close behind, and are not what is asked.
    const a = core.answer.ask('and the GetMetricStatistics limit?', { subject: 'cloudwatch' });
    expect(a.facts.map((f) => f.id)).toEqual(['cloudwatch-get-metric-statistics-datapoints']);
    expect(a.facts[0]?.answer).toMatch(/GetMetricStatistics/);
  });
});

describe('the topic of the last answer', () => {
  const askedAfter = (first: string, q: string) => {
    const a = core.answer.ask(first);
    return core.answer.ask(q, { subject: a.results[0]?.entry.id, topic: a.facts[0]?.id });
  };

  it('"and with <service>?" asks the service it names what the last answer told of the subject', () => {
    const a = askedAfter('what is the max message size in sqs', 'and with sns?');
    expect(a.results[0]?.entry.id).toBe('sns');
    expect(a.facts.map((f) => f.id)).toEqual(['sns-max-message-size']);
  });

  it('without a topic, or with a question of its own, the named service is asked as it stands', () => {
    expect(core.answer.ask('and with sns?', { subject: 'sqs' }).facts).toEqual([]);
    expect(askedAfter('what is the max message size in sqs', 'and how do I encrypt sns topics?').facts.map((f) => f.id)).not.toContain(
      'sns-max-message-size',
    );
  });
});
