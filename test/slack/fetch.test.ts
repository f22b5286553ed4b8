/**
 * The Web API client's HTTP (src/slack/fetch.ts): fetch's contract over node:http with kept-alive sockets, against
 * a server on 127.0.0.1. What goes out (method, headers, body), what comes back (a real Response), one socket for
 * calls one after another, both signals cutting a call off, a redirect refused, and what it leaves to the global
 * fetch.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLeanFetch, type LeanFetch } from '../../src/slack/fetch.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server | undefined;
let lean: LeanFetch | undefined;

afterEach(async () => {
  lean?.close();
  lean = undefined;
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function serve(
  handle: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void,
): Promise<{ url: string; seen: Seen[]; sockets: () => number }> {
  const seen: Seen[] = [];
  let sockets = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(s);
      handle(req, res, s);
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', () => void sockets++);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, sockets: () => sockets };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const never = new AbortController().signal;

describe('the lean fetch', () => {
  it('sends the method, the headers and the body; answers a real Response (status, headers, text, json)', async () => {
    const s = await serve((_req, res) => json(res, 200, { ok: true, ts: '1.2' }, { 'X-Slack-Req-Id': 'r1' }));
    lean = createLeanFetch();
    const body = 'channel=C1&text=h%C3%A9llo';
    const r = await lean.fetch(
      `${s.url}/api/chat.postMessage`,
      { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Bearer xoxb-t' }, body },
      never,
    );
    expect(r).toBeInstanceOf(Response);
    expect(r.ok).toBe(true);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-slack-req-id')).toBe('r1');
    expect(await r.json()).toEqual({ ok: true, ts: '1.2' });
    const [seen] = s.seen;
    expect(seen).toMatchObject({ method: 'POST', url: '/api/chat.postMessage', body });
    expect(seen!.headers).toMatchObject({
      authorization: 'Bearer xoxb-t',
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
    });
  });

  it('calls one after another share one kept-alive socket', async () => {
    const s = await serve((_req, res) => json(res, 200, { ok: true }));
    lean = createLeanFetch();
    for (let i = 0; i < 5; i++) {
      const r = await lean.fetch(`${s.url}/api/x`, { method: 'POST', body: `n=${i}` }, never);
      expect(await r.text()).toBe('{"ok":true}');
    }
    expect(s.seen.map((x) => x.body)).toEqual(['n=0', 'n=1', 'n=2', 'n=3', 'n=4']);
    expect(s.sockets()).toBe(1);
  });

  it('an error status is a Response like any other; a 204 has no body', async () => {
    const s = await serve((req, res) => {
      if (req.url !== '/empty') return json(res, 503, { error: 'busy' });
      res.writeHead(204);
      res.end();
    });
    lean = createLeanFetch();
    const busy = await lean.fetch(`${s.url}/busy`, { method: 'POST', body: '' }, never);
    expect(busy.status).toBe(503);
    expect(busy.ok).toBe(false);
    expect(await busy.json()).toEqual({ error: 'busy' });
    const empty = await lean.fetch(`${s.url}/empty`, {}, never);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it('either signal cuts a call off: its own (a timeout) and the cut-off one (a shutdown), also before it starts', async () => {
    const s = await serve(() => undefined); // never answers
    lean = createLeanFetch();
    await expect(lean.fetch(`${s.url}/slow`, { method: 'POST', body: 'a', signal: AbortSignal.timeout(50) }, never)).rejects.toThrow();
    const cut = new AbortController();
    const call = lean.fetch(`${s.url}/slow`, { method: 'POST', body: 'b' }, cut.signal);
    setTimeout(() => cut.abort(new Error('cut off (test)')), 30);
    await expect(call).rejects.toThrow(/cut off \(test\)/);
    await expect(lean.fetch(`${s.url}/slow`, { method: 'POST', body: 'c' }, cut.signal)).rejects.toThrow(/cut off \(test\)/);
    expect(s.seen.map((x) => x.body)).toEqual(['a', 'b']);
  });

  it("refuses a redirect when asked to (redirect: 'error'), as fetch does", async () => {
    const s = await serve((_req, res) => {
      res.writeHead(302, { Location: '/elsewhere' });
      res.end();
    });
    lean = createLeanFetch();
    await expect(lean.fetch(`${s.url}/moved`, { method: 'POST', body: 'x', redirect: 'error' }, never)).rejects.toThrow(TypeError);
  });

  it('leaves to the global fetch what it does not do itself (a FormData body)', async () => {
    const s = await serve((_req, res) => json(res, 200, { ok: true }));
    lean = createLeanFetch();
    const form = new FormData();
    form.append('channel', 'C1');
    const r = await lean.fetch(`${s.url}/api/files.upload`, { method: 'POST', body: form }, never);
    expect(r.status).toBe(200);
    expect(s.seen[0]!.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(s.seen[0]!.body).toContain('name="channel"');
  });
});
