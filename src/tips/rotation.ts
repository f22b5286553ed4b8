/**
 * The tip order: every tip once before any repeats, shuffled with a seed of this installation's own (so two
 * installations don't post the same sequence), a new shuffle for each cycle. Pure: the state goes in and out.
 */

/** A channel's place in the rotation: the cycle it is in and the tips it has had in that cycle. */
export interface ChannelRotation {
  cycle: number;
  posted: string[];
}

export const freshRotation = (): ChannelRotation => ({ cycle: 0, posted: [] });

/** The order of the tip ids in one cycle: a seeded Fisher–Yates shuffle of the ids sorted. */
export function cycleOrder(tipIds: readonly string[], seed: string, cycle: number): string[] {
  const ids = [...tipIds].sort();
  const random = mulberry32(hash(`${seed}:${cycle}`));
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids;
}

/**
 * The next tip for a channel and its new rotation state. Tips removed from the knowledge are skipped; tips added
 * join the current cycle. When a cycle is used up a new one starts, never with the tip that ended the last.
 */
export function nextTip(tipIds: readonly string[], seed: string, state: ChannelRotation): { id: string; state: ChannelRotation } | undefined {
  if (tipIds.length === 0) return undefined;
  const posted = new Set(state.posted);
  const next = cycleOrder(tipIds, seed, state.cycle).find((id) => !posted.has(id));
  if (next) return { id: next, state: { cycle: state.cycle, posted: [...state.posted, next] } };
  const cycle = state.cycle + 1;
  const order = cycleOrder(tipIds, seed, cycle);
  const last = state.posted[state.posted.length - 1];
  const first = order[0] === last && order.length > 1 ? order[1]! : order[0]!;
  return { id: first, state: { cycle, posted: [first] } };
}

/** The tip of a day (App Home), the same for everyone that day: the day's place in the seeded order. */
export function tipOfDay(tipIds: readonly string[], seed: string, dayNumber: number): string | undefined {
  if (tipIds.length === 0) return undefined;
  const cycle = Math.floor(dayNumber / tipIds.length);
  const order = cycleOrder(tipIds, seed, cycle);
  // As in nextTip: a cycle never starts with the tip that ended the one before (the same tip two days running).
  if (order.length > 1 && order[0] === cycleOrder(tipIds, seed, cycle - 1).at(-1)) [order[0], order[1]] = [order[1]!, order[0]!];
  return order[dayNumber % tipIds.length];
}

/** FNV-1a, 32 bits. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small, well-known seeded PRNG; enough for shuffling tips. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
