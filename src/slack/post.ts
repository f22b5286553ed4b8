/**
 * `chat.postMessage`, the call every reply makes, as one JSON POST.
 *
 * `@slack/web-api`'s WebClient does more per call than a reply needs: it form-encodes the arguments (the blocks as
 * JSON, then percent-encoded: three times the bytes), and for its debug lines, which it builds whatever the log
 * level, it copies the arguments, the headers and the response (which echoes the message) with tokens redacted
 * and turns each copy into JSON. In a burst of 2,000 events that was close to half of what the bot allocated
 * (sampled: 350 of 741 MB), and a fifth of its CPU (the bot's CPU over the burst: 4.1–4.4 s before, 3.1–3.7 s
 * after). This sends the arguments as JSON (which Slack accepts for chat.postMessage), and keeps what the
 * WebClient does that matters: the same retries (network errors and HTTP errors, with backoff; a 429 waits its
 * Retry-After, and holds the other posts too), the timeout, and the same errors (@slack/web-api's own classes and
 * codes, `slack_webapi_*`), so a listener fails the same way. Every other Web API call still goes through Bolt's
 * client.
 */
import { webApi } from '@slack/bolt';
import type { Logger } from '../logger.js';

export type PostArgs = webApi.ChatPostMessageArguments;
export type PostResult = webApi.ChatPostMessageResponse;
/** Posts a message (chat.postMessage); throws @slack/web-api's errors. */
export type Post = (args: PostArgs) => Promise<PostResult>;

/** As the WebClient's `retryConfig` (src/slack/app.ts): attempts after the first, and their backoff. */
export interface RetryPolicy {
  retries: number;
  factor: number;
  minTimeout: number;
  maxTimeout: number;
}

export interface PosterOptions {
  token: string;
  /** The Web API base URL, ending in `/` (SLACK_API_URL); Slack's by default. */
  apiUrl?: string;
  fetch: typeof globalThis.fetch;
  retries: RetryPolicy;
  /** Each attempt gives up after this long. */
  timeoutMs: number;
  log: Logger;
  /** When true, no attempt starts (shutting down: the call was cut off; retrying it would only wait). */
  stopped?: () => boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Seconds from a Retry-After header, when it holds a number. */
function retryAfter(headers: Headers): number | undefined {
  const v = Number(headers.get('retry-after'));
  return Number.isFinite(v) && v >= 0 ? v : undefined;
}

export function createPoster(opts: PosterOptions): Post {
  const url = `${opts.apiUrl ?? 'https://slack.com/api/'}chat.postMessage`;
  const headers = {
    Authorization: `Bearer ${opts.token}`,
    'Content-Type': 'application/json; charset=utf-8',
    Accept: 'application/json',
    'User-Agent': `aws-guide-bot node/${process.version.replace(/^v/, '')}`,
  };
  /** Until when every post waits (a 429's Retry-After), as the WebClient pauses its queue. */
  let resumeAt = 0;

  /** One attempt: the result when Slack answered (ok or not); throws what is worth another attempt. */
  const attempt = async (body: string): Promise<Record<string, unknown>> => {
    let response: Response;
    try {
      response = await opts.fetch(url, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(opts.timeoutMs) });
    } catch (err) {
      throw new webApi.WebAPIRequestError(err instanceof Error ? err : new Error(String(err)));
    }
    if (response.status === 429) {
      const seconds = retryAfter(response.headers);
      await response.text().catch(() => undefined);
      // As the WebClient: a 429 it cannot wait out is an error of its own, not tried again.
      if (seconds === undefined) throw Object.assign(new Error(`Retry header did not contain a valid timeout (url: ${url})`), { final: true });
      opts.log.info({ method: 'chat.postMessage', retryAfter: seconds }, 'rate limited by Slack: waiting, then trying again');
      resumeAt = Math.max(resumeAt, Date.now() + seconds * 1000);
      throw new Error(`A rate limit was exceeded (url: ${url}, retry-after: ${seconds})`);
    }
    const text = await response.text();
    if (response.status !== 200)
      throw new webApi.WebAPIHTTPError(response.status, response.statusText, Object.fromEntries(response.headers.entries()), text);
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { ok: false, error: text };
    }
  };

  return async (args) => {
    const body = JSON.stringify(args);
    let last: unknown;
    for (let n = 0; n <= opts.retries.retries; n++) {
      if (n > 0) await sleep(Math.min(opts.retries.maxTimeout, Math.max(opts.retries.minTimeout, 1) * opts.retries.factor ** (n - 1)));
      const wait = resumeAt - Date.now();
      if (wait > 0) await sleep(wait);
      if (opts.stopped?.()) break;
      let result: Record<string, unknown>;
      try {
        result = await attempt(body);
      } catch (err) {
        if ((err as { final?: boolean }).final) throw err;
        last = err;
        opts.log.warn({ method: 'chat.postMessage', attempt: n + 1, err: err instanceof Error ? err.message : String(err) }, 'http request failed');
        continue;
      }
      const meta = result.response_metadata as { warnings?: unknown[] } | undefined;
      if (Array.isArray(meta?.warnings) && meta.warnings.length)
        opts.log.warn({ method: 'chat.postMessage', warnings: meta.warnings }, 'Slack warned');
      if (result.ok !== true) throw new webApi.WebAPIPlatformError(result as unknown as webApi.WebAPICallResult & { error: string });
      return result as unknown as PostResult;
    }
    if (last instanceof webApi.SlackError) throw last;
    // Every attempt failed, or none was made (the shutdown had cut calls off).
    throw new webApi.WebAPIRequestError(last instanceof Error ? last : new Error('not sent: Slack calls are cut off (shutting down)'));
  };
}
