/** The report's summary: unanswered questions grouped (case, punctuation, near-duplicates), 👎 with reasons, answer rates. */
import { describe, expect, it } from 'vitest';
import { formatText, statsMessage } from '../../src/feedback/format.js';
import { FeedbackLog, type DayCounts, type FeedbackRecord } from '../../src/feedback/store.js';
import { groupKey, groupUnanswered, nearKeys, summarize } from '../../src/feedback/summary.js';
import { checkMessageLimits } from '../support/fake-slack.js';
import { MemoryStore } from './memory-store.js';

const now = Date.parse('2025-06-30T12:00:00Z');
let seq = 0;
function rec(type: FeedbackRecord['type'], query: string, extra: Partial<FeedbackRecord> = {}): FeedbackRecord {
  seq++;
  return { id: `r${seq}`, type, query, ids: [], surface: 'slash', at: new Date(now - 60_000 * (100 - seq)).toISOString(), user: `u${seq}`, ...extra };
}

describe('grouping unanswered questions', () => {
  it('normalises case, punctuation, emoji, filler words and word endings', () => {
    expect(groupKey('How do I restore from Glacier?')).toBe(groupKey('glacier restores'));
    expect(groupKey('GLACIER RESTORE!!!')).toBe(groupKey('glacier restore'));
    expect(groupKey(':snowflake: glacier, restore')).toBe(groupKey('restore glacier'));
    expect(groupKey('db backups')).toBe(groupKey('database backup'));
    expect(groupKey('what is it')).not.toBe(''); // filler words only: the words are kept
  });

  it('near-duplicates join (typos within edit distance 2), short different names do not', () => {
    expect(nearKeys(groupKey('lamda pricing'), groupKey('lambda pricing'))).toBe(true);
    expect(nearKeys(groupKey('cloudtrial retention'), groupKey('cloudtrail retention'))).toBe(true);
    expect(nearKeys(groupKey('s3'), groupKey('ec2'))).toBe(false);
    expect(nearKeys(groupKey('sqs'), groupKey('sns'))).toBe(false);
    expect(nearKeys(groupKey('glacier restore'), groupKey('quantum ledger'))).toBe(false);
  });

  it('counts each group, most frequent first, with the commonest form as its name and requests alongside', () => {
    const records = [
      rec('unanswered', 'How do I restore from Glacier?'),
      rec('unanswered', 'glacier restore'),
      rec('unanswered', 'Glacier restore'),
      rec('unanswered', 'glacier restore'),
      rec('unanswered', 'glacier restores!'),
      rec('suggest', 'glacier restore'),
      rec('unanswered', 'lambda pricing'),
      rec('unanswered', 'lamda pricing'),
      rec('unanswered', 'Lambda pricing?'),
      rec('suggest', 'lamda pricing'),
      rec('suggest', 'lambda pricing'),
      rec('unanswered', 'quantum ledger'),
      rec('vote', 'sqs', { vote: 'down', ids: ['sqs'] }), // votes are not questions
    ];
    const groups = groupUnanswered(records);
    expect(groups.map((g) => [g.query, g.count, g.requests])).toEqual([
      ['glacier restore', 5, 1],
      ['lambda pricing', 3, 2],
      ['quantum ledger', 1, 0],
    ]);
    expect(groups[0]!.variants).toEqual(expect.arrayContaining(['How do I restore from Glacier?', 'glacier restores!']));
    expect(groups[0]!.variants).not.toContain('Glacier restore'); // the same form but for case
    expect(groups[1]!.variants).toContain('lamda pricing');
  });
});

describe('the summary', () => {
  it('lists the answers with the most 👎 and their reasons, and the answer rate by surface over 7 and 30 days', () => {
    const records = [
      rec('vote', 'sqs', { vote: 'down', ids: ['sqs'], reason: 'nothing on FIFO limits' }),
      rec('vote', 'sqs', { vote: 'down', ids: ['sqs'] }),
      rec('vote', 'sqs', { vote: 'up', ids: ['sqs'] }),
      rec('vote', 'ecs vs eks', { vote: 'down', ids: ['ecs', 'eks'], reason: 'costs?' }),
      rec('vote', 'lambda', { vote: 'up', ids: ['lambda'] }),
    ];
    const days = new Map<string, DayCounts>([
      ['2025-06-30', { slash: [4, 3], dm: [2, 2] }],
      ['2025-06-24', { slash: [6, 3] }], // 7th day back: inside the 7 days
      ['2025-06-23', { slash: [10, 10], mention: [5, 0] }], // 8th day back: 30 days only
      ['2025-05-31', { slash: [100, 0] }], // 31st day back: outside both
    ]);
    const s = summarize(records, days, now);
    expect(s.totals).toEqual({ up: 2, down: 3, unanswered: 0, requests: 0, reasons: 2 });
    expect(s.downvoted.map((v) => [v.ids, v.down, v.up, v.reasons.map((r) => r.reason)])).toEqual([
      [['sqs'], 2, 1, ['nothing on FIFO limits']],
      [['ecs', 'eks'], 1, 0, ['costs?']],
    ]);
    const rates = Object.fromEntries(s.rates.map((r) => [r.surface, r]));
    expect(s.rates.map((r) => r.surface)).toEqual(['slash', 'mention', 'dm', 'all']);
    expect(rates.slash!.last7).toEqual({ asked: 10, answered: 6, rate: 0.6 });
    expect(rates.slash!.last30).toEqual({ asked: 20, answered: 16, rate: 0.8 });
    expect(rates.mention!.last7).toEqual({ asked: 0, answered: 0, rate: undefined });
    expect(rates.mention!.last30).toEqual({ asked: 5, answered: 0, rate: 0 });
    expect(rates.all!.last30).toEqual({ asked: 27, answered: 18, rate: 18 / 27 });

    const name = (id: string) => ({ sqs: 'Amazon SQS', ecs: 'Amazon ECS', eks: 'Amazon EKS' })[id] ?? id;
    const text = formatText(s, { name, retentionDays: 90, maxRecords: 10_000, enabled: true });
    expect(text).toContain('Amazon SQS');
    expect(text).toContain('Amazon ECS vs Amazon EKS');
    expect(text).toContain('nothing on FIFO limits');
    expect(text).toMatch(/\/aws\s+60% \(6\/10\)\s+80% \(16\/20\)/);
    expect(formatText(s, { name, retentionDays: 30, maxRecords: 500, enabled: true })).toContain('Records kept 30 days (newest 500)');
    const msg = statsMessage(s, { name, retentionDays: 90, maxRecords: 10_000, enabled: true });
    expect(checkMessageLimits(msg)).toEqual([]);
    expect(JSON.stringify(msg.blocks)).toContain('nothing on FIFO limits');
  });

  it('the day counters of the log feed the answer rate', async () => {
    let t = now;
    const log = new FeedbackLog({ store: new MemoryStore(() => t), retentionDays: 90, now: () => t });
    await log.countQuestion('slash', true);
    await log.countQuestion('slash', false);
    t += 24 * 60 * 60 * 1000;
    await log.countQuestion('dm', true);
    const s = summarize(await log.records(), await log.dayCounts(), t);
    expect(s.rates.find((r) => r.surface === 'all')!.last7).toEqual({ asked: 3, answered: 2, rate: 2 / 3 });
  });

  it('a summary of a huge log stays within Block Kit limits', () => {
    const long = 'x'.repeat(500);
    const records = Array.from({ length: 200 }, (_, i) => [
      rec('unanswered', `${long} ${i}`),
      rec('vote', long, { vote: 'down', ids: [`id-${i}`], reason: 'y'.repeat(300) }),
    ]).flat();
    const msg = statsMessage(summarize(records, new Map(), now), { name: (id) => id, retentionDays: 90, maxRecords: 10_000, enabled: false });
    expect(checkMessageLimits(msg)).toEqual([]);
  });
});
