/**
 * The full collection once the bot has started (src/slack/heap.ts): it happens (a major GC is observed), and it
 * leaves no `gc` global behind.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { collectAfterStart } from '../../src/slack/heap.js';

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
