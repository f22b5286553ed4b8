/**
 * The replies' chat.postMessage (src/slack/post.ts) against the fake Slack on 127.0.0.1: one JSON POST with the
 * bot token, the result back, and the WebClient's behaviour where it matters: @slack/web-api's errors and codes, a
 * 429 waited out, failed attempts tried again, nothing tried once the shutdown cut calls off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { createPoster, type PosterOptions } from '../../src/slack/post.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { capturedLog } from '../support/logs.js';

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const token = 'xoxb-test-post';
const quick = { retries: 2, factor: 2, minTimeout: 10, maxTimeout: 40 };

async function poster(over: Partial<PosterOptions> = {}) {
  fake = await startFakeSlack();
  const captured = capturedLog();
  const post = createPoster({ token, apiUrl: fake.apiUrl, fetch: globalThis.fetch, retries: quick, timeoutMs: 5000, log: captured.log, ...over });
  return { post, fake, ...captured };
}

describe('chat.postMessage for the replies', () => {
  it('posts the message as JSON with the bot token, and answers what Slack answered', async () => {
    const { post, fake } = await poster();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Amazon SQS* & <friends>' } }];
    const result = await post({ channel: 'C00000001', thread_ts: '1700000000.000100', text: 'Amazon SQS', blocks, unfurl_links: false });
    expect(result.ok).toBe(true);
    expect(typeof result.ts).toBe('string');
    const [call] = fake.calls.filter((c) => c.method === 'chat.postMessage');
    expect(call).toMatchObject({
      token,
      status: 200,
      args: { channel: 'C00000001', thread_ts: '1700000000.000100', text: 'Amazon SQS', blocks, unfurl_links: false },
    });
  });

  it("Slack's refusal is @slack/web-api's platform error, with its code and data, and is not tried again", async () => {
    const { post, fake } = await poster();
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const err = await post({ channel: 'C0NOWHERE', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(webApi.WebAPIPlatformError);
    expect(err).toMatchObject({ code: webApi.ErrorCode.PlatformError, data: { ok: false, error: 'channel_not_found' } });
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
  });

  it('a 429 is waited out (its Retry-After), then the post goes through', async () => {
    const { post, fake, parsed } = await poster();
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const t0 = Date.now();
    const result = await post({ channel: 'C00000001', text: 'after the limit' });
    expect(result.ok).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(parsed.some((l) => /rate limited/.test(String(l.msg)))).toBe(true);
  });

  it('a failed attempt (Slack unreachable) is tried again, and the last failure is a request error', async () => {
    let calls = 0;
    const failing: typeof fetch = async () => {
      calls++;
      throw new TypeError('fetch failed (test)');
    };
    const { post } = await poster({ fetch: failing });
    const err = await post({ channel: 'C00000001', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(webApi.WebAPIRequestError);
    expect((err as { code?: string }).code).toBe(webApi.ErrorCode.RequestError);
    expect(calls).toBe(3); // the first attempt and quick.retries more
  });

  it('an HTTP error is tried again, then reported as an HTTP error; a success on the way ends it', async () => {
    let calls = 0;
    const flaky =
      (status: number[]): typeof fetch =>
      async () =>
        new Response(JSON.stringify({ ok: true, ts: '1.1' }), { status: status[Math.min(calls++, status.length - 1)]! });
    const first = await poster({ fetch: flaky([500, 200]) });
    expect((await first.post({ channel: 'C1', text: 'x' })).ok).toBe(true);
    expect(calls).toBe(2);
    await fake?.close();
    calls = 0;
    const second = await poster({ fetch: flaky([502]) });
    const err = await second.post({ channel: 'C1', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(webApi.WebAPIHTTPError);
    expect((err as { statusCode?: number }).statusCode).toBe(502);
    expect(calls).toBe(3);
  });

  it('once calls are cut off (shutting down), no attempt starts', async () => {
    let stopped = false;
    let calls = 0;
    const cut: typeof fetch = async () => {
      calls++;
      stopped = true;
      throw new Error('shutting down: Slack calls are cut off (test)');
    };
    const { post } = await poster({ fetch: cut, stopped: () => stopped });
    await expect(post({ channel: 'C1', text: 'x' })).rejects.toThrow(/cut off/);
    expect(calls).toBe(1);
  });
});
