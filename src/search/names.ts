/**
 * The name index: every name, long name, alias and other-cloud equivalent of every entry, in a compact form
 * (words joined without spaces), so that "route 53", "route53" and "Route-53" are one key, "step functions"
 * meets "stepfunctions", and a typo of a whole name ("cloudtrial", "rout53") is one edit away from its key.
 */
import type { Entry } from '../knowledge/schema.js';
import { words } from './text.js';

export interface NameMatch {
  /** Entries the name belongs to: one for a name or alias, possibly several for an equivalent ("Pub/Sub"). */
  ids: string[];
  /** True for the entry's own names; false for names of other clouds' counterparts. */
  own: boolean;
  /** Token span in the query, [start, end). */
  start: number;
  end: number;
}

interface Key {
  ids: string[];
  own: boolean;
  /** For another cloud's name: the name as the knowledge writes it ("Azure Batch"). */
  label?: string;
}

/** The name index as JSON, for the build to store and a start to read back (`Searcher`'s `prebuilt`). */
export interface NameIndexData {
  keys: [string, Key][];
  maxWords: number;
}

export class NameIndex {
  private readonly keys = new Map<string, Key>();
  /** The keys in code-unit order, to tell whether any key starts with a span's key (`extends`). */
  private readonly sorted: string[];
  /** The keys by length, each with its place in the index's order (`near` breaks ties by it). */
  private readonly byLength = new Map<number, [string, Key, number][]>();
  private readonly maxWords: number;

  /** The index of `entries`' names; or, given `data` (what `toJSON` gave for the same entries), that index again. */
  constructor(entries: Entry[], data?: NameIndexData) {
    if (data) {
      this.keys = new Map(data.keys);
      this.maxWords = data.maxWords;
      this.sorted = [...this.keys.keys()].sort();
      this.indexLengths();
      return;
    }
    let maxWords = 1;
    const add = (name: string, id: string, own: boolean): void => {
      const w = words(name);
      if (w.length === 0) return;
      maxWords = Math.max(maxWords, w.length);
      const key = w.join('');
      const existing = this.keys.get(key);
      if (!existing) this.keys.set(key, own ? { ids: [id], own } : { ids: [id], own, label: name });
      else if (existing.own && !own)
        return; // an entry's own name beats another cloud's name for it
      else if (!existing.own && own) this.keys.set(key, { ids: [id], own });
      else if (!existing.ids.includes(id)) existing.ids.push(id);
    };
    for (const e of entries) {
      add(e.name, e.id, true);
      add(e.id, e.id, true);
      if (e.kind === 'service') add(e.full_name, e.id, true);
      for (const a of e.aliases) add(a, e.id, true);
    }
    // The words the knowledge itself uses: an Azure product's name without "Azure" says Azure only with a word of
    // its own ("Cosmos DB"); "Container Instances" or "Key Vault" are also AWS words.
    const vocabulary = new Set(entries.flatMap((e) => words(JSON.stringify({ ...e, equivalents: undefined }))));
    for (const e of entries) {
      if (e.kind !== 'service' || !e.equivalents) continue;
      for (const n of [...(e.equivalents.azure ?? []), ...(e.equivalents.gcp ?? [])]) {
        add(n, e.id, false);
        // "Google Cloud Run" is also said "Cloud Run", "Azure Cosmos DB" "Cosmos DB"; "Azure Functions" is not said "Functions".
        const short = n.replace(/^(google|microsoft|azure)\s+/i, '');
        const own = !/^azure\s/i.test(n) || words(short).some((w) => !vocabulary.has(w));
        if (short !== n && words(short).length > 1 && own) add(short, e.id, false);
      }
    }
    this.maxWords = maxWords;
    this.sorted = [...this.keys.keys()].sort();
    this.indexLengths();
  }

  private indexLengths(): void {
    let i = 0;
    for (const entry of this.keys) {
      const item: [string, Key, number] = [entry[0], entry[1], i++];
      const list = this.byLength.get(entry[0].length);
      if (list) list.push(item);
      else this.byLength.set(entry[0].length, [item]);
    }
  }

  /** Whether a key longer than `prefix` starts with it: whether a span whose key it is can still grow into a name. */
  private extends(prefix: string): boolean {
    const s = this.sorted;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! <= prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo < s.length && s[lo]!.startsWith(prefix);
  }

  /** What the constructor built, as JSON: the keys in their order (`near` breaks ties by it). */
  toJSON(): NameIndexData {
    return { keys: [...this.keys], maxWords: this.maxWords };
  }

  /** The entry a whole text names, exactly (any spacing or punctuation). */
  exact(tokens: readonly string[]): Key | undefined {
    return tokens.length ? this.keys.get(tokens.join('')) : undefined;
  }

  /**
   * Names found in a token list, longest first and not overlapping: "api gateway with lambda" gives
   * api-gateway (tokens 0–2) and lambda (token 3). Spans made only of `skip` words (stop words) are ignored.
   */
  find(tokens: readonly string[], skip: (w: string) => boolean): NameMatch[] {
    // Every span that is a name, found by growing a key word by word from each start (no slicing, no joins)...
    const candidates: { start: number; end: number; key: Key }[] = [];
    for (let i = 0; i < tokens.length; i++) {
      let key = '';
      let allSkip = true;
      for (let n = 1; n <= this.maxWords && i + n <= tokens.length; n++) {
        const w = tokens[i + n - 1]!;
        key += w;
        allSkip &&= skip(w);
        const found = this.keys.get(key);
        if (found && !allSkip) candidates.push({ start: i, end: i + n, key: found });
        if (!this.extends(key)) break;
      }
    }
    // ...then the longest first, earliest first, none overlapping another already taken.
    candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
    const used = new Uint8Array(tokens.length);
    const found: NameMatch[] = [];
    for (const c of candidates) {
      let free = true;
      for (let j = c.start; j < c.end && free; j++) free = used[j] === 0;
      if (!free) continue;
      found.push({ ids: c.key.ids, own: c.key.own, start: c.start, end: c.end });
      used.fill(1, c.start, c.end);
    }
    return found.sort((a, b) => a.start - b.start);
  }

  /** Names within a small edit distance of the text (a typo of a whole name), closest first. */
  near(text: string, maxDistance: number): { ids: string[]; own: boolean; distance: number }[] {
    if (maxDistance <= 0) return [];
    const out: { hit: { ids: string[]; own: boolean; distance: number }; place: number }[] = [];
    // Only keys of a length within the distance; ties are broken by the index's order.
    for (let n = text.length - maxDistance; n <= text.length + maxDistance; n++)
      for (const [key, value, place] of this.byLength.get(n) ?? []) {
        // People rarely get both of the first two letters of a name wrong; skipping those keys keeps this cheap.
        if (key[0] !== text[0] && key[1] !== text[1]) continue;
        const d = editDistance(text, key, maxDistance);
        if (d <= maxDistance) out.push({ hit: { ...value, distance: d }, place });
      }
    return out.sort((a, b) => a.hit.distance - b.hit.distance || Number(b.hit.own) - Number(a.hit.own) || a.place - b.place).map((x) => x.hit);
  }
}

let rows: Int32Array[] = [0, 1, 2].map(() => new Int32Array(64));

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions, so "cloudtrial" is one edit from
 * "cloudtrail"), giving up early once every path exceeds `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const n = a.length;
  const m = b.length;
  // Three rows of the table, reused from call to call (this runs for many keys of every question).
  if (rows[0]!.length <= m) rows = [0, 1, 2].map(() => new Int32Array(2 * (m + 1)));
  let [prev2, prev, cur] = rows as [Int32Array, Int32Array, Int32Array];
  prev2.fill(0, 0, m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return rowMin;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}
