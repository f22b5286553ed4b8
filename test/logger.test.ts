/**
 * The logger: JSON lines into any destination, Slack tokens scrubbed from messages, objects and errors (message
 * and stack), and Bolt's `logger.error('msg', err)` keeping its Error (type, message, stack) as `err`; to stdout
 * asynchronously, and still every line out when the process ends.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LogLevel } from '@slack/bolt';
import { logBounds, scrub } from '../src/logger.js';
import { boltLogger } from '../src/slack/logger.js';
import { capturedLog } from './support/logs.js';
import { root, runToEnd, tsx } from './support/run.js';

function capture(level = 'debug') {
  const c = capturedLog(level);
  return { log: c.log, lines: c.raw, parsed: () => c.lines() as Record<string, any>[] };
}

const bot = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const app = 'xapp-1-A0123456789-1234567890123-abcdef0123456789';
const user = 'xoxp-1234-5678-abcd';
const refresh = 'xoxe-1-My0xLTEyMzQ1Njc4';

describe('scrub', () => {
  it('removes every kind of Slack token, keeping its kind', () => {
    expect(scrub(`a ${bot} b ${app} c ${user} d ${refresh}`)).toBe('a xoxb-[redacted] b xapp-[redacted] c xoxp-[redacted] d xoxe-[redacted]');
  });

  it('leaves other text alone', () => {
    expect(scrub('xoxb is a prefix; xapp- alone; https://slack.com/api/auth.test')).toBe(
      'xoxb is a prefix; xapp- alone; https://slack.com/api/auth.test',
    );
  });
});

describe('createLogger', () => {
  it('writes JSON lines to the destination, at the level asked for', () => {
    const { log, parsed } = capture('info');
    log.debug('not shown');
    log.info({ n: 1 }, 'shown');
    expect(parsed()).toEqual([expect.objectContaining({ level: 30, n: 1, msg: 'shown' })]);
  });

  it('scrubs tokens in messages, printf arguments and objects (nested, in arrays, by key)', () => {
    const { log, lines, parsed } = capture();
    log.info(`connecting with ${bot}`);
    log.info('token %s and %s', app, user);
    log.info(
      { nested: { list: [app, { deeper: bot }] }, headers: { Authorization: `Bearer ${bot}` }, token: 'anything', appToken: 'also' },
      'objects',
    );
    const all = lines.join('\n');
    for (const t of [bot, app, user]) expect(all).not.toContain(t);
    const [a, b, c] = parsed();
    expect(a!.msg).toBe('connecting with xoxb-[redacted]');
    expect(b!.msg).toBe('token xapp-[redacted] and xoxp-[redacted]');
    expect(c!.nested).toEqual({ list: ['xapp-[redacted]', { deeper: 'xoxb-[redacted]' }] });
    expect(c!.headers.Authorization).toBe('[redacted]');
    expect(c!.token).toBe('[redacted]');
    expect(c!.appToken).toBe('[redacted]');
  });

  it('scrubs tokens in errors: message, stack and extra fields; keeps the type', () => {
    const { log, lines, parsed } = capture();
    const err = Object.assign(new TypeError(`invalid_auth for ${bot}`), { code: 'slack_webapi_platform_error', data: { token: bot, hint: app } });
    log.error({ err }, 'call failed');
    log.error(new Error(`boom ${app}`));
    log.error(new Error(`boom ${app}`), `while using ${user}`);
    const all = lines.join('\n');
    for (const t of [bot, app, user]) expect(all).not.toContain(t);
    const [a, b, c] = parsed();
    expect(a!.err).toMatchObject({ type: 'TypeError', message: 'invalid_auth for xoxb-[redacted]', code: 'slack_webapi_platform_error' });
    expect(a!.err.stack).toContain('TypeError: invalid_auth for xoxb-[redacted]');
    expect(a!.err.data).toEqual({ token: '[redacted]', hint: 'xapp-[redacted]' });
    expect(b!.msg).toBe('boom xapp-[redacted]');
    expect(b!.err).toMatchObject({ type: 'Error', message: 'boom xapp-[redacted]' });
    expect(c!.msg).toBe('while using xoxp-[redacted]');
    expect(c!.err.stack).toContain('boom xapp-[redacted]');
  });

  it("scrubs tokens in a child logger's lines and in its own bindings", () => {
    const { log, lines } = capture();
    log.child({ component: 'slack' }).warn({ url: `wss://x/?t=${app}` }, 'reconnecting');
    log.child({ component: 'client', token: bot, link: `https://x/?t=${app}` }).info('bound');
    expect(lines.join('\n')).not.toContain(app);
    expect(lines.join('\n')).not.toContain(bot);
    expect(JSON.parse(lines[0]!)).toMatchObject({ component: 'slack', url: 'wss://x/?t=xapp-[redacted]' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ component: 'client', token: 'xoxb-[redacted]', link: 'https://x/?t=xapp-[redacted]' });
  });
});

describe('bounds', () => {
  it('a 1 MB value (a query, a button value, an id, a list) is cut, and the line says how much', () => {
    const { log, lines, parsed } = capture();
    const mb = 'v'.repeat(1_000_000);
    log.info({ query: mb, ids: [mb, ...Array.from({ length: 100 }, (_, i) => `id-${i}`)], nested: { deeper: { value: mb } } }, `clicked ${mb}`);
    log.warn('frame %s', mb);
    log.error({ err: Object.assign(new Error(mb), { data: { value: mb } }) }, 'failed');
    for (const line of lines) expect(line.length).toBeLessThan(20_000);
    const [a, b, c] = parsed();
    expect(a!.query).toMatch(/^v{300}…\[999700 more chars\]$/);
    expect(a!.ids).toHaveLength(logBounds.items + 1);
    expect(a!.ids.at(-1)).toBe(`…[${101 - logBounds.items} more items]`);
    expect(a!.nested.deeper.value.length).toBeLessThan(400);
    expect(a!.msg.length).toBeLessThan(logBounds.message + 40);
    expect(b!.msg.length).toBeLessThan(logBounds.message + 40);
    expect(c!.err.message.length).toBeLessThan(logBounds.errorMessage + 40);
    expect(c!.err.stack.length).toBeLessThan(logBounds.stack + 40);
    expect(c!.err.data.value.length).toBeLessThan(400);
  });

  it('a cut never splits an emoji, and short values are left as they are', () => {
    const { log, parsed } = capture();
    log.info({ query: `${'x'.repeat(logBounds.string - 1)}😀tail`, short: 'sqs 😀' }, 'asked');
    const [line] = parsed();
    expect(line!.query).toBe(`${'x'.repeat(logBounds.string - 1)}…[6 more chars]`);
    expect(line!.short).toBe('sqs 😀');
  });
});

describe('boltLogger', () => {
  function named(fn: () => Error): Error {
    return fn();
  }

  it('passes an Error as {err}, with its type, message and stack; the text as the message', () => {
    const { log, parsed } = capture();
    const bolt = boltLogger(log);
    const err = named(function socketStartFailed() {
      return new Error(`unable to connect with ${app}`);
    });
    bolt.error('An unhandled error occurred', err);
    const [line] = parsed();
    expect(line).toMatchObject({ level: 50, component: 'bolt', msg: 'An unhandled error occurred' });
    expect(line!.err).toMatchObject({ type: 'Error', message: 'unable to connect with xapp-[redacted]' });
    expect(line!.err.stack).toContain('socketStartFailed');
    expect(line!.err.stack).not.toContain(app);
  });

  it("an Error alone: its message is the line's message", () => {
    const { log, parsed } = capture();
    boltLogger(log).error(new Error(`failed ${bot}`));
    expect(parsed()[0]).toMatchObject({ msg: 'failed xoxb-[redacted]', err: { message: 'failed xoxb-[redacted]' } });
  });

  it('joins text arguments and keeps objects as data', () => {
    const { log, parsed } = capture();
    const bolt = boltLogger(log);
    bolt.warn('http request failed', 429, { retryAfter: 1, token: bot });
    bolt.info('one', 'two');
    bolt.debug('details', { a: 1 }, { b: 2 });
    const [w, i, d] = parsed();
    expect(w).toMatchObject({ level: 40, msg: 'http request failed 429', data: { retryAfter: 1, token: '[redacted]' } });
    expect(i).toMatchObject({ level: 30, msg: 'one two' });
    expect(d).toMatchObject({ level: 20, msg: 'details', data: [{ a: 1 }, { b: 2 }] });
  });

  it("reports the root logger's level to Bolt, and setName names the component", () => {
    expect(boltLogger(capture('debug').log).getLevel()).toBe(LogLevel.DEBUG);
    expect(boltLogger(capture('warn').log).getLevel()).toBe(LogLevel.WARN);
    expect(boltLogger(capture('error').log).getLevel()).toBe(LogLevel.ERROR);
    const { log, parsed } = capture();
    const bolt = boltLogger(log);
    bolt.setLevel(LogLevel.ERROR); // ignored: the level is LOG_LEVEL's
    bolt.setName('socket-mode');
    bolt.info('hello');
    expect(parsed()[0]).toMatchObject({ component: 'socket-mode', msg: 'hello' });
  });
});

describe('the JSON lines on stdout', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'aws-guide-logger-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** A process that logs `n` lines as fast as it can to a pipe, then ends as `end` says; its stdout. */
  async function logThenEnd(n: number, end: string): Promise<string> {
    const script = join(tmp, `log-${Math.random().toString(36).slice(2)}.mts`);
    const logger = pathToFileURL(join(root, 'src', 'logger.ts')).href;
    writeFileSync(
      script,
      `import { createLogger } from ${JSON.stringify(logger)};
const log = createLogger({ level: 'info', pretty: false }).child({ component: 'test' });
for (let i = 0; i < ${n}; i++) log.info({ i, query: 'x'.repeat(200) }, 'answered');
${end}`,
    );
    const r = await runToEnd(tsx, [script], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  }

  const numbers = (out: string): number[] =>
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { i: number }).i);

  it('loses no line when the process exits right after logging (process.exit, as the shutdown ends)', { timeout: 40_000 }, async () => {
    expect(numbers(await logThenEnd(20_000, 'process.exit(0);'))).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
  });

  it('loses no line when the process ends by running out of work', { timeout: 40_000 }, async () => {
    expect(numbers(await logThenEnd(20_000, ''))).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
  });
});
