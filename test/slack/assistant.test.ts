/**
 * Slack's assistant pane through the real bot (Bolt's Assistant) and the fake Slack: opening the pane greets in one
 * line and sets suggested prompts drawn from the knowledge; a prompt, asked, gets the same answer as anywhere else;
 * the first question titles the thread. Outside the pane (a workspace without it), DMs work as before.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../src/render/blocks.js';
import { getCore, startBot, type StartedBot } from '../support/bot.js';
import { texts } from '../support/blocks.js';
import { feedbackIn, headerOf, waitForPost } from '../support/ui.js';

const core = getCore();
let b: StartedBot;

beforeAll(async () => {
  b = await startBot();
}, 30_000);

afterEach(() => {
  expect(b.fake.blockViolations).toEqual([]);
});

afterAll(async () => {
  await b?.stop();
}, 30_000);

const calls = (method: string, channel: string) =>
  b.fake.calls.filter((c) => c.method === method && (c.args.channel_id ?? c.args.channel) === channel);
const answered = (surface: string) => b.logs().filter((l) => l.msg === 'answered' && l.surface === surface);

describe('the assistant pane', () => {
  it('greets in one line and offers prompts from the knowledge: a limit, a comparison, a pasted error', async () => {
    const t = await b.fake.assistantThreadStarted({ user: 'U00000001', context: 'C00000001' });
    const hello = await waitForPost(b, t.channel, t.threadTs);
    expect(hello.args.text).not.toContain('\n');
    expect(hello.args.text).toMatch(/AWS/);
    await b.fake.waitFor(() => b.fake.assistantThreads.get(`${t.channel} ${t.threadTs}`)?.prompts !== undefined, 5000, 'the suggested prompts');
    const thread = b.fake.assistantThreads.get(`${t.channel} ${t.threadTs}`)!;
    expect(thread.prompts!.length).toBeGreaterThanOrEqual(3);
    expect(thread.prompts!.length).toBeLessThanOrEqual(4);
    const [limit, compare, error] = thread.prompts!;
    expect(limit!.message).toMatch(/^What is the max(imum)? .+ in (Amazon|AWS) .+\?$/);
    expect(compare!.message).toMatch(/^(Amazon|AWS) .+ or (Amazon|AWS) .+: which should I choose\?$/);
    expect(error).toMatchObject({ title: 'Paste an AWS error' });
    expect(error!.message).toMatch(/^[A-Z][A-Za-z]+(Exception|Error|Fault): /);
    // Nothing of the channel the person was looking at is read.
    expect(b.fake.calls.filter((c) => c.method.startsWith('conversations.'))).toEqual([]);
  });

  it('each prompt asked in the thread gets the same answer as anywhere else; the first question titles the thread', async () => {
    const t = await b.fake.assistantThreadStarted({ user: 'U00000002' });
    await b.fake.waitFor(() => b.fake.assistantThreads.get(`${t.channel} ${t.threadTs}`)?.prompts !== undefined, 5000, 'the suggested prompts');
    const [limit, compare, error] = b.fake.assistantThreads.get(`${t.channel} ${t.threadTs}`)!.prompts!;
    const replies = () => calls('chat.postMessage', t.channel).filter((c) => c.args.thread_ts === t.threadTs);
    const ask = async (text: string) => {
      const before = replies().length;
      await b.fake.dm({ text, user: 'U00000002', threadTs: t.threadTs });
      await b.fake.waitFor(() => replies().length === before + 1, 5000, `the answer to ${text}`);
      return replies().at(-1)!;
    };

    const first = await ask(limit!.message);
    const fact = core.answer.ask(limit!.message).facts[0]!;
    // It leads with the limit the prompt asks for, as `/aws` would: the fact, then its page.
    expect(texts(first.args.blocks)[0]).toBe(escapeMrkdwn(fact.answer));
    expect(texts(first.args.blocks).join('\n')).toContain(fact.source);
    expect(feedbackIn(first.args.blocks)).toBeDefined();
    // The title follows the answer.
    await b.fake.waitFor(() => calls('assistant.threads.setTitle', t.channel).length === 1, 5000, 'the title');
    expect(b.fake.assistantThreads.get(`${t.channel} ${t.threadTs}`)!.title).toBe(limit!.message);

    const second = await ask(compare!.message);
    expect(headerOf(second.args.blocks)).toMatch(/ vs /);
    const third = await ask(error!.message);
    expect(texts(third.args.blocks).join('\n')).toContain(core.answer.ask(error!.message).facts[0]!.answer.slice(0, 40));

    // The title is still the first question's; the status was shown before each answer.
    expect(calls('assistant.threads.setTitle', t.channel)).toHaveLength(1);
    expect(b.fake.assistantThreads.get(`${t.channel} ${t.threadTs}`)!.title).toBe(limit!.message);
    expect(calls('assistant.threads.setStatus', t.channel).filter((c) => c.response.ok)).toHaveLength(3);
    expect(answered('assistant').map((l) => l.query)).toEqual([limit!.message, compare!.message, error!.message]);
  });
});

describe('without the pane', () => {
  it('a DM is answered as before, and a reply in a DM thread is answered in that thread, with no title set', async () => {
    const dm = await b.fake.dm({ text: 'sqs', user: 'U00000001', channel: 'D0PLAIN01' });
    const post = await waitForPost(b, 'D0PLAIN01');
    expect(headerOf(post.args.blocks)).toBe('Amazon SQS');
    await b.fake.dm({ text: 'lambda', user: 'U00000001', channel: 'D0PLAIN01', threadTs: dm.ts });
    const inThread = await waitForPost(b, 'D0PLAIN01', dm.ts);
    expect(headerOf(inThread.args.blocks)).toBe('AWS Lambda');
    expect(calls('assistant.threads.setTitle', 'D0PLAIN01')).toEqual([]);
    expect(b.logs().filter((l) => l.level >= 50)).toEqual([]);
    expect(answered('dm').map((l) => l.query)).toEqual(expect.arrayContaining(['sqs', 'lambda']));
  });
});
