/**
 * The replier's record of each reply (src/reply.ts): the `answered` line and the observers, at once by default,
 * or deferred (the Slack app's `setImmediate`: the ack or the post goes first), with the answer's own milliseconds
 * either way; an observer that fails costs its record, not the reply.
 */
import { describe, expect, it } from 'vitest';
import { createReplier, type Answered } from '../src/reply.js';
import { getCore } from './support/deps.js';
import { capturedLog } from './support/logs.js';

function replier(opts: { defer?: (work: () => void) => void; failing?: boolean } = {}) {
  const core = getCore();
  const captured = capturedLog();
  const heard: Answered[] = [];
  const r = createReplier({
    answer: core.answer,
    render: core.render,
    log: captured.log,
    observers: [
      {
        answered: (a) => {
          if (opts.failing) throw new Error('observer broke (test)');
          heard.push(a);
        },
      },
    ],
    feedback: false,
    named: (text) => core.searcher.servicesNamedIn(text),
    ...(opts.defer ? { defer: opts.defer } : {}),
  });
  return { r, heard, ...captured };
}

const answeredLines = (parsed: readonly { msg?: string }[]) => parsed.filter((l) => l.msg === 'answered');

describe('the record of a reply', () => {
  it('by default, logged and observed before the reply is returned', () => {
    const { r, heard, parsed } = replier();
    const reply = r.ask('sqs', { surface: 'slash', user: 'U1' });
    expect(reply.message.blocks?.length).toBeGreaterThan(0);
    expect(heard).toMatchObject([{ surface: 'slash', query: 'sqs', user: 'U1' }]);
    expect(answeredLines(parsed)).toMatchObject([{ surface: 'slash', query: 'sqs', ids: ['sqs'] }]);
  });

  it('deferred, it waits for its turn: the reply first, then the line and the observers, with the answer’s milliseconds', () => {
    const queued: (() => void)[] = [];
    const { r, heard, parsed } = replier({ defer: (work) => void queued.push(work) });
    const reply = r.ask('sqs', { surface: 'slash', user: 'U1' });
    expect(reply.answer.results[0]?.entry.id).toBe('sqs');
    expect(heard).toEqual([]);
    expect(answeredLines(parsed)).toEqual([]);
    expect(queued).toHaveLength(1);
    queued.shift()!();
    expect(heard).toMatchObject([{ surface: 'slash', query: 'sqs' }]);
    const [line] = answeredLines(parsed) as { ms?: number }[];
    expect(typeof line?.ms).toBe('number');
    expect(heard[0]!.ms).toBe(line!.ms);
  });

  it('an observer that throws is logged once at error; the reply and the line stand', () => {
    const { r, parsed } = replier({ failing: true });
    expect(() => r.ask('lambda', { surface: 'mention' })).not.toThrow();
    expect(answeredLines(parsed)).toHaveLength(1);
    expect(parsed.filter((l) => (l.level ?? 0) >= 50)).toMatchObject([{ msg: 'an answer observer failed', surface: 'mention' }]);
  });
});
