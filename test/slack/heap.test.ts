/**
 * The full collection once the bot has started (src/slack/heap.ts): it happens (a major GC is observed), and it
 * leaves no `gc` global behind. The same collection after a busy spell: once the envelopes stop for the quiet
 * time, not while they keep coming, and not after a few.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { collectAfterStart, QuietCollector } from '../../src/slack/heap.js';

describe('the collection after start', () => {
  it('starts a full collection and leaves no gc global', async () => {
    const kinds: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) kinds.push((e as unknown as { detail: { kind: number } }).detail.kind);
    });
    observer.observe({ entryTypes: ['gc'] });
    try {
      expect(collectAfterStart()).toBe(true);
      const deadline = Date.now() + 5000;
      while (!kinds.includes(constants.NODE_PERFORMANCE_GC_MAJOR) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(kinds).toContain(constants.NODE_PERFORMANCE_GC_MAJOR);
      expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    } finally {
      observer.disconnect();
    }
  });
});

describe('the collection after a busy spell', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('collects once the envelopes have stopped for the quiet time, not while they keep coming', async () => {
    let collections = 0;
    const quiet = new QuietCollector({ minEvents: 5, quietMs: 60, collect: () => collections++ });
    try {
      for (let i = 0; i < 12; i++) {
        quiet.note();
        await sleep(20);
      }
      expect(collections).toBe(0); // still busy: never 60 ms without an envelope
      await sleep(150);
      expect(collections).toBe(1);
      await sleep(150);
      expect(collections).toBe(1); // one collection per spell
    } finally {
      quiet.stop();
    }
  });

  it('starts none after a few envelopes, and none after stop', async () => {
    let collections = 0;
    const quiet = new QuietCollector({ minEvents: 5, quietMs: 30, collect: () => collections++ });
    for (let i = 0; i < 4; i++) quiet.note();
    await sleep(100);
    expect(collections).toBe(0);
    quiet.note();
    quiet.stop();
    await sleep(100);
    expect(collections).toBe(0);
  });
});
