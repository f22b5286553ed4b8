/**
 * Reading `DATA_DIR/state.jsonl`, the state file of the store before SQLite (one JSON record per key and line), for
 * the one-time import into `state.db`. Read as leniently as that store read it: the readable records are kept, the
 * damaged lines (a crash, an edit by hand) are counted.
 */
export type LegacyRecord =
  | { k: string; t: 'kv'; v: string }
  | { k: string; t: 'set'; v: string[] }
  | { k: string; t: 'list'; v: string[] }
  | { k: string; t: 'claim'; exp: number };

export interface LegacyState {
  records: LegacyRecord[];
  /** 1-based numbers of the lines that could not be read. */
  badLines: number[];
}

export function parseLegacyState(text: string): LegacyState {
  const records: LegacyRecord[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      records.push(check(JSON.parse(line) as LegacyRecord));
    } catch {
      badLines.push(i + 1);
    }
  });
  return { records, badLines };
}

function check(r: LegacyRecord): LegacyRecord {
  if (typeof r?.k !== 'string') throw new Error('record without key');
  switch (r.t) {
    case 'kv':
      if (typeof r.v !== 'string') throw new Error('bad kv');
      return r;
    case 'set':
    case 'list':
      if (!Array.isArray(r.v)) throw new Error(`bad ${r.t}`);
      return { k: r.k, t: r.t, v: r.v.map(String) };
    case 'claim':
      if (typeof r.exp !== 'number') throw new Error('bad claim');
      return r;
    default:
      throw new Error('unknown record type');
  }
}
