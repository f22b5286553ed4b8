/**
 * The Web API client's HTTP: `fetch`'s contract over `node:http` / `node:https` with keep-alive agents.
 *
 * Node's own `fetch` (undici's WHATWG fetch: a Request, its headers and body streams, a Response and its stream,
 * per call) costs each Slack call about 0.2 ms of CPU more than `http.request` over a kept-alive socket (the same
 * POST to a local server, both in one process: 0.38 → 0.15 ms of CPU a call, this module's Response included), and
 * its garbage: in a burst of 2,000 events it was 28% of the bot's main-thread CPU, the largest share, for the
 * replies' 1,500 calls. `@slack/web-api` takes any `fetch`; this one does
 * what it and Bolt's `respond()` ask of it: a POST (or GET) with a string or bytes body, headers, an AbortSignal,
 * `redirect`, and a real `Response` back (status, headers, text, json). Anything else (a FormData body, a redirect
 * to follow) goes to the global `fetch` as before.
 */
import http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';

/** `node:https`, loaded when the first https call is made (TLS is a megabyte the local fake Slack never needs). */
let httpsModule: typeof https | undefined;
const loadHttps = (): typeof https => (httpsModule ??= createRequire(import.meta.url)('node:https') as typeof https);

/** Idle sockets are closed after this (undici's default keep-alive), or earlier when the server says so. */
const idleMs = 4000;

/** `fetch`, with a second signal that aborts the call too (a shutdown cutting every call off at once). */
export type CuttableFetch = (input: RequestInfo | URL, init: RequestInit | undefined, cutOff: AbortSignal) => Promise<Response>;

export interface LeanFetch {
  fetch: CuttableFetch;
  /** Closes the idle sockets (shutdown). */
  close(): void;
}

/** The global fetch, cut off by either signal. */
export const globalFetch: CuttableFetch = (input, init, cutOff) =>
  globalThis.fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, cutOff]) : cutOff });

/** Statuses whose Response has no body (the Response constructor refuses one). */
const nullBody = new Set([101, 103, 204, 205, 304]);

type Body = string | Uint8Array;

function headersOf(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  const entries = init instanceof Headers || Array.isArray(init) ? new Headers(init).entries() : Object.entries(init);
  // The length is this module's to set.
  for (const [k, v] of entries) if (k.toLowerCase() !== 'content-length') out[k] = v;
  return out;
}

function plainBody(body: unknown): Body | undefined | false {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  return false; // FormData, a stream, a Blob, URLSearchParams: the global fetch knows them
}

export function createLeanFetch(opts: { idleMs?: number } = {}): LeanFetch {
  const timeout = opts.idleMs ?? idleMs;
  const plain = new http.Agent({ keepAlive: true, timeout, scheduling: 'lifo' });
  let secure: https.Agent | undefined;
  const agentFor = (protocol: string): http.Agent | undefined =>
    protocol === 'http:'
      ? plain
      : protocol === 'https:'
        ? (secure ??= new (loadHttps().Agent)({ keepAlive: true, timeout, scheduling: 'lifo' }))
        : undefined;
  const lean = (input: RequestInfo | URL, init: RequestInit, cutOff: AbortSignal): Promise<Response> | undefined => {
    if (typeof input !== 'string' && !(input instanceof URL)) return undefined; // a Request object
    const url = typeof input === 'string' ? new URL(input) : input;
    const agent = agentFor(url.protocol);
    const body = plainBody(init.body);
    const method = (init.method ?? 'GET').toUpperCase();
    if (!agent || body === false || (method !== 'GET' && method !== 'POST')) return undefined;
    const headers = headersOf(init.headers);
    if (body !== undefined) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    const signal = init.signal ?? undefined;
    return new Promise<Response>((resolveCall, rejectCall) => {
      for (const s of [signal, cutOff]) if (s?.aborted) return rejectCall(s.reason);
      let req: http.ClientRequest | undefined;
      const abort = function (this: AbortSignal): void {
        req?.destroy(this.reason instanceof Error ? this.reason : new Error(String(this.reason)));
      };
      const settle = (): void => {
        signal?.removeEventListener('abort', abort);
        cutOff.removeEventListener('abort', abort);
      };
      const resolve = (r: Response): void => {
        settle();
        resolveCall(r);
      };
      const reject = (err: unknown): void => {
        settle();
        rejectCall(err);
      };
      signal?.addEventListener('abort', abort);
      cutOff.addEventListener('abort', abort);
      req = (url.protocol === 'https:' ? loadHttps() : http).request(url, { method, headers, agent }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          // What fetch does with `redirect: 'error'`; a redirect to follow is the global fetch's.
          if (init.redirect === 'error') return reject(new TypeError(`fetch failed: redirected to ${res.headers.location}`));
          globalFetch(input, init, cutOff).then(resolve, reject);
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          try {
            const headersOut = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              if (v === undefined) continue;
              if (Array.isArray(v)) for (const one of v) headersOut.append(k, one);
              else headersOut.set(k, v);
            }
            const payload = nullBody.has(status) ? null : new Uint8Array(Buffer.concat(chunks));
            resolve(new Response(payload, { status, statusText: res.statusMessage ?? '', headers: headersOut }));
          } catch (err) {
            reject(err);
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  };
  return {
    fetch: (input, init, cutOff) => lean(input, init ?? {}, cutOff) ?? globalFetch(input, init, cutOff),
    close: () => {
      plain.destroy();
      secure?.destroy();
    },
  };
}
