/**
 * `npm start` for real: `node --import tsx src/main.ts` as a child process (node itself, not npx, so signals
 * reach it), with the tokens and SLACK_API_URL pointing at a fake Slack in this process. It connects and
 * answers; on SIGTERM it closes its connection, finishes the reply in flight and exits 0; a bad variable stops
 * it with exit code 2 and one line naming it; without tokens it is the local console.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'aws-guide-process-'));

interface Child {
  proc: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the bot as `npm start` would, with only the given environment (and no .env file). */
function startMain(env: Record<string, string>, stdin?: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmp,
      // Hermetic: never a developer's .env.
      DOTENV_CONFIG_PATH: join(tmp, 'no-such.env'),
      DATA_DIR: join(tmp, `data-${Math.random().toString(36).slice(2)}`),
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  if (stdin !== undefined) proc.stdin.end(stdin);
  return { proc, stdout: () => out, stderr: () => err, exited };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms))]);
}

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('with tokens and SLACK_API_URL: the Slack app', () => {
  let fake: FakeSlack;
  let child: Child;

  beforeAll(async () => {
    fake = await startFakeSlack();
    child = startMain({
      SLACK_BOT_TOKEN: 'xoxb-process-test',
      SLACK_APP_TOKEN: 'xapp-process-test',
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: 'info',
    });
    await fake.waitFor(() => fake.connections > 0 || child.proc.exitCode !== null, 30_000, 'the bot to connect');
    if (child.proc.exitCode !== null) throw new Error(`the bot exited (${child.proc.exitCode}): ${child.stderr()}`);
  }, 40_000);

  afterAll(async () => {
    if (child && child.proc.exitCode === null && child.proc.signalCode === null) {
      child.proc.kill('SIGKILL');
      await child.exited;
    }
    await fake?.close();
  });

  it('connects over Socket Mode and answers /aws sqs', async () => {
    expect(fake.calls.find((c) => c.method === 'auth.test')?.token).toBe('xoxb-process-test');
    expect(fake.calls.find((c) => c.method === 'apps.connections.open')?.token).toBe('xapp-process-test');
    const { ack } = await fake.slashCommand({ text: 'sqs' });
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.blocks.find((b: { type: string }) => b.type === 'header')?.text.text).toBe('Amazon SQS');
    // JSON log lines (stdout is not a terminal), tokens never in them.
    await fake.waitFor(() => child.stdout().includes('"answered"'), 5000, 'the "answered" log line');
    const lines = child.stdout().trim().split('\n');
    const parsed = lines.map((l) => JSON.parse(l) as { msg?: string });
    expect(parsed.some((l) => l.msg === 'answered')).toBe(true);
    expect(child.stdout()).not.toContain('xoxb-process-test');
    expect(child.stdout()).not.toContain('xapp-process-test');
  });

  it('SIGTERM while a reply is in flight: it stops receiving first, the reply is delivered, exit 0', { timeout: 30_000 }, async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const m = await fake.mention({ text: 'sns', channel: 'C0SIGTERM1' });
    // The reply is now in flight (waiting out the rate limit).
    await fake.waitForCall('chat.postMessage', (c) => c.status === 429, 5000);
    expect(child.proc.kill('SIGTERM')).toBe(true);
    await fake.waitFor(() => child.stdout().includes('shutting down'), 5000, 'the shutdown to begin');
    // It stops receiving first: the Socket Mode connection closes (Slack sends new events to other connections),
    // while the reply still waits out the rate limit.
    await fake.waitFor(() => fake.connections === 0, 5000, 'the Socket Mode connection to close');
    const post = await fake.waitForCall('chat.postMessage', (c) => c.response.ok === true && c.args.thread_ts === m.ts, 10_000);
    expect(post.args.channel).toBe('C0SIGTERM1');
    // Then it disconnects and exits promptly (nothing left holding the event loop).
    const { code, signal } = await withTimeout(child.exited, 5000, 'the process to exit after its last reply');
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(child.stdout()).toContain('disconnected');
  });
});

describe('configuration errors stop the start: exit code 2, one line naming the variable', () => {
  const tokens = { SLACK_BOT_TOKEN: 'xoxb-config-test', SLACK_APP_TOKEN: 'xapp-config-test', SLACK_API_URL: 'http://127.0.0.1:9/api/' };
  const cases: [string, Record<string, string>, string][] = [
    ['a bot token with the wrong prefix', { ...tokens, SLACK_BOT_TOKEN: 'bad' }, 'SLACK_BOT_TOKEN'],
    ['an app token with the wrong prefix', { ...tokens, SLACK_APP_TOKEN: 'xoxb-not-an-app-token' }, 'SLACK_APP_TOKEN'],
    ['a bad cron', { ...tokens, TIP_SCHEDULE: 'not cron' }, 'TIP_SCHEDULE'],
    ['an unknown time zone', { ...tokens, TIP_TIMEZONE: 'Mars/Base' }, 'TIP_TIMEZONE'],
  ];

  // One after another: on a small machine, parallel tsx start-ups only slow each other down.
  it.each(cases)('%s', { timeout: 30_000 }, async (_what, env, variable) => {
    const child = startMain(env);
    const { code } = await withTimeout(child.exited, 25_000, `the process to exit (${variable})`);
    expect(code).toBe(2);
    const lines = child.stderr().trim().split('\n');
    expect(lines, child.stderr()).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(child.stderr()).not.toContain('xoxb-config-test');
    expect(child.stdout()).toBe('');
  });
});

describe('without tokens: the local console', () => {
  it('answers "/aws sqs" from stdin and exits 0 at the end of input', { timeout: 30_000 }, async () => {
    const child = startMain({}, '/aws sqs\n');
    const { code } = await withTimeout(child.exited, 25_000, 'the console to exit');
    expect(child.stderr()).toBe('');
    expect(code).toBe(0);
    expect(child.stdout()).toContain('local console');
    expect(child.stdout()).toContain('Amazon SQS');
  });
});
