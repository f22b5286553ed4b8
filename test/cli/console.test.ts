/**
 * The local console: in-process with streams, and as `npm start` runs it when no Slack tokens are set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleReply, runConsole } from '../../src/cli/console.js';
import { loadCore } from '../../src/loadCore.js';
import { runToEnd } from '../support/run.js';

const core = loadCore();

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (d: string) => (text += d));
  return { stream, text: () => text };
}

describe('runConsole', () => {
  it('answers /aws commands and free questions, and resolves at end of input', async () => {
    const input = new PassThrough();
    const out = collect();
    const done = runConsole(core, input, out.stream, false);
    input.write('/aws sqs\n');
    input.write('/aws help\n');
    input.write('\n');
    input.write('where should I keep database passwords?\n');
    input.end();
    await expect(done).resolves.toBeUndefined();
    const text = out.text();
    expect(text).toContain('entries loaded');
    expect(text).toContain('Amazon SQS');
    expect(text).toContain('Amazon Simple Queue Service');
    expect(text).toContain('AWS Guide: how to ask');
    expect(text).toContain('AWS Secrets Manager');
    expect(text.indexOf('Amazon SQS')).toBeLessThan(text.indexOf('AWS Guide: how to ask'));
    expect(text.indexOf('AWS Guide: how to ask')).toBeLessThan(text.indexOf('AWS Secrets Manager'));
    expect(text).not.toMatch(/^> /m); // no prompts when not interactive
  });

  it('prompts when interactive', async () => {
    const input = new PassThrough();
    const out = collect();
    const done = runConsole(core, input, out.stream, true);
    input.end('/aws ddb\n');
    await done;
    expect(out.text()).toContain('> ');
    expect(out.text()).toContain('Amazon DynamoDB');
  });

  it("keeps the conversation: a follow-up is about the last answer's subject, one naming another service about that one", async () => {
    const input = new PassThrough();
    const out = collect();
    const done = runConsole(core, input, out.stream, false);
    input.write('/aws dynamodb\n');
    input.write('how much does it cost?\n');
    input.write('what about lambda?\n');
    input.write('and the default timeout?\n');
    input.end();
    await done;
    const text = out.text();
    // Alone, "how much does it cost?" is about no service; after DynamoDB it is DynamoDB's capacity units.
    expect(consoleReply(core, 'how much does it cost?')).not.toMatch(/read unit/);
    const afterCard = text.slice(text.indexOf('Amazon DynamoDB'));
    expect(afterCard).toMatch(/One read unit/);
    // "what about lambda?" names another service: Lambda is the subject from then on.
    expect(text.slice(text.indexOf('AWS Lambda'))).toMatch(/timeout/i);
  });

  it('resolves on empty input', async () => {
    const input = new PassThrough();
    const out = collect();
    const done = runConsole(core, input, out.stream, false);
    input.end();
    await expect(done).resolves.toBeUndefined();
  });

  it('consoleReply: blank lines say nothing, Slack-only commands say so, tip shows a tip', () => {
    expect(consoleReply(core, '   ')).toBeUndefined();
    expect(consoleReply(core, '/aws stats')).toMatch(/works in Slack/);
    expect(consoleReply(core, '/aws tips on')).toMatch(/works in Slack/);
    const tip = core.kb.tips[0]!;
    expect(consoleReply(core, '/aws tip', () => 0)).toContain(tip.text.slice(0, 40));
    expect(consoleReply(core, '/AWS SQS')).toContain('Amazon SQS');
    expect(consoleReply(core, 'tell me a joke')).toMatch(/confident answer/);
  });
});

describe('npm start without Slack tokens', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aws-guide-console-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs the local console: answers stdin and exits 0 at its end', { timeout: 60_000 }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('SLACK_')) delete env[k];
    // A developer's .env could hold tokens; set-but-empty wins over it (dotenv never overrides) and means "none".
    env.SLACK_BOT_TOKEN = '';
    env.SLACK_APP_TOKEN = '';
    env.DATA_DIR = dataDir;
    env.LOG_LEVEL = 'error';
    delete env.TIP_CHANNEL;
    delete env.HTTP_PORT;
    delete env.STATE_URL;

    const result = await runToEnd('npm', ['start', '--silent'], { env, input: '/aws sqs\n' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('local console');
    expect(result.stdout).toContain('Amazon SQS');
  });
});
