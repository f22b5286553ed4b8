/**
 * /healthz and /metrics of one bot (in-process, the file store, HTTP_PORT=0) against the fake Slack: healthy
 * while the Socket Mode connection is open, 503 from a dropped socket until the reconnect, the counters after
 * questions; and the pieces start.ts wires for an unreachable store (the event ledger, the tip slot).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { Metrics } from '../../src/metrics.js';
import type { StateStore } from '../../src/state/store.js';
import { storeEventLedger } from '../../src/state/events.js';
import { tipSlot } from '../../src/slack/start.js';
import { capturedLog } from '../support/logs.js';
import type { TipService } from '../../src/tips/service.js';
import { getCore, startBot, type StartedBot } from '../support/bot.js';

let b: StartedBot;
let base: string;

beforeAll(async () => {
  b = await startBot({ env: { HTTP_PORT: '0', LOG_LEVEL: 'info' } });
  base = `http://127.0.0.1:${b.bot.httpPort}`;
}, 30_000);

afterAll(async () => {
  await b?.stop();
}, 30_000);

async function get(path: string, init?: RequestInit): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(base + path, { ...init, signal: AbortSignal.timeout(3000) });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

/** One sample of the exposition, e.g. value(text, 'awsguide_questions_total{surface="slash",outcome="answered"}'). */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const noAnswer = ['purple elephant banjo recital', 'zebra accordion marmalade', 'qwxz plmk vvbn'].find(
  (q) => getCore().answer.ask(q).kind === 'none',
)!;

describe('/healthz', () => {
  it('200 while connected; with the file store there is no store check', async () => {
    const h = await get('/healthz');
    expect(h.status).toBe(200);
    expect(h.type).toMatch(/^application\/json/);
    expect(JSON.parse(h.body)).toEqual({ status: 'ok', checks: { slack: 'connected', shutdown: 'running' } });
  });

  it('503 naming the Slack connection from a dropped socket until the reconnect; 200 again after it', { timeout: 30_000 }, async () => {
    const opened = b.fake.connectionsOpened;
    b.fake.dropAll();
    let down: { status: number; body: string } | undefined;
    await b.fake.waitFor(() => b.fake.connections === 0, 2000, 'the socket to drop');
    const end = Date.now() + 3000;
    while (!down && Date.now() < end) {
      const h = await get('/healthz');
      if (h.status === 503) down = h;
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(down, '/healthz turned 503 before the reconnect').toBeDefined();
    expect(JSON.parse(down!.body)).toMatchObject({ status: 'unavailable', failed: ['slack'], checks: { slack: 'disconnected' } });
    expect(b.fake.connectionsOpened).toBe(opened); // it really was before the reconnect

    await b.fake.waitFor(() => b.fake.connections === 1, 20_000, 'the reconnect');
    const deadline = Date.now() + 5000;
    while ((await get('/healthz')).status !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect((await get('/healthz')).status).toBe(200);
    expect(value((await get('/metrics')).body, 'awsguide_socket_reconnects_total')).toBe(1);
    expect(b.logs().filter((l) => l.msg === 'Socket Mode connection lost: reconnecting')).toHaveLength(1);
  });

  it('HEAD works; other paths are 404, other methods 405', async () => {
    expect((await get('/healthz', { method: 'HEAD' })).status).toBe(200);
    expect((await get('/')).status).toBe(404);
    expect((await get('/healthz', { method: 'POST' })).status).toBe(405);
  });
});

describe('/metrics', () => {
  it('Prometheus text with the counters after questions: by surface and outcome, and the latency histogram', async () => {
    const before = (await get('/metrics')).body;
    expect(value(before, 'awsguide_questions_total{surface="slash",outcome="answered"}')).toBe(0); // exists from the start

    await b.fake.slashCommand({ text: 'sqs' });
    await b.fake.slashCommand({ text: noAnswer });
    const m = await b.fake.mention({ text: 'lambda' });
    await b.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === m.ts);

    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toContain('# TYPE awsguide_questions_total counter');
    expect(value(text, 'awsguide_questions_total{surface="slash",outcome="answered"}')).toBe(1);
    expect(value(text, 'awsguide_questions_total{surface="slash",outcome="unanswered"}')).toBe(1);
    expect(value(text, 'awsguide_questions_total{surface="mention",outcome="answered"}')).toBe(1);
    expect(text).toContain('# TYPE awsguide_answer_duration_seconds histogram');
    expect(value(text, 'awsguide_answer_duration_seconds_count{surface="slash"}')).toBe(2);
    expect(value(text, 'awsguide_answer_duration_seconds_bucket{le="+Inf",surface="slash"}')).toBe(2);
    expect(value(text, 'awsguide_tips_posted_total')).toBe(0);
    expect(value(text, 'awsguide_tips_failed_total')).toBe(0);
    expect(value(text, 'awsguide_socket_connected')).toBe(1);
    expect(value(text, 'awsguide_state_store_up')).toBe(1);
    expect(text).toContain('process_cpu_seconds_total');
  });
});

describe('an unreachable store, as start.ts wires it', () => {
  const broken = (healthy: boolean): StateStore =>
    ({
      claim: async () => {
        throw new Error('Stream isn’t writeable and enableOfflineQueue options is false');
      },
      healthy: () => healthy,
    }) as unknown as StateStore;

  it('the event ledger answers anyway (better a rare double answer than silence), logged once until it works again', async () => {
    const { lines, log: l } = capturedLog();
    let fail = true;
    let asked = 0;
    const store = {
      claim: async () => {
        asked += 1;
        if (fail) throw new Error('down');
        return true;
      },
      healthy: () => !fail,
    } as unknown as StateStore;
    const ledger = storeEventLedger(store, l);
    for (let i = 0; i < 5; i++) expect(await ledger.claim(`Ev${i}`)).toBe(true);
    expect(asked, 'an unreachable store is not asked (a hung Redis would delay every answer)').toBe(0);
    expect(lines().filter((x) => /once-only check/.test(x.msg ?? ''))).toHaveLength(1);
    fail = false;
    expect(await ledger.claim('EvOk')).toBe(true);
    fail = true;
    expect(await ledger.claim('EvAgain')).toBe(true);
    expect(lines().filter((x) => /once-only check/.test(x.msg ?? ''))).toHaveLength(2); // a new spell, a new line
    expect(await storeEventLedger(broken(true)).claim('Ev9')).toBe(true); // no logger: still answers
  });

  it('a tip slot is skipped, not fired, while the store is unreachable; counted as skipped', async () => {
    const metrics = new Metrics(() => false, { defaultMetrics: false });
    let fired = 0;
    const tips = {
      fire: async () => {
        fired += 1;
        return { posted: ['C1'], failed: [], skipped: [] };
      },
    } as unknown as TipService;
    await tipSlot(tips, broken(false), metrics, createLogger({ level: 'silent' }))(new Date());
    expect(fired).toBe(0);
    expect(value(await metrics.text(), 'awsguide_tip_slots_skipped_total')).toBe(1);

    const up = { healthy: () => true } as unknown as StateStore;
    await tipSlot(tips, up, metrics, createLogger({ level: 'silent' }))(new Date());
    expect(fired).toBe(1);
    expect(value(await metrics.text(), 'awsguide_tips_posted_total')).toBe(1);
  });

  it('a slot whose fire() throws because the store went away meanwhile is skipped, not an error', async () => {
    const metrics = new Metrics(() => false, { defaultMetrics: false });
    let healthy = true;
    const tips = {
      fire: async () => {
        healthy = false;
        throw new Error('Connection is closed.');
      },
    } as unknown as TipService;
    const store = { healthy: () => healthy } as unknown as StateStore;
    await expect(tipSlot(tips, store, metrics, createLogger({ level: 'silent' }))(new Date())).resolves.toBeUndefined();
    expect(value(await metrics.text(), 'awsguide_tip_slots_skipped_total')).toBe(1);
  });
});
