/**
 * The bot's state behind one small interface: tip rotation and channel opt-ins, events already answered, tip
 * slots already posted, feedback. Two implementations: a file in DATA_DIR (one process) and Redis (replicas).
 * Values are strings (JSON where structured), so both behave the same.
 */
export interface StateStore {
  /** Atomically claims `key` for `ttlMs`: true for the first caller, false while the claim lasts. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  setAdd(key: string, member: string): Promise<void>;
  setRemove(key: string, member: string): Promise<void>;
  setMembers(key: string): Promise<string[]>;
  /** Appends to a list, keeping only the newest `maxLength` items. */
  listPush(key: string, value: string, maxLength: number): Promise<void>;
  /** The whole list, oldest first. */
  listAll(key: string): Promise<string[]>;
  /** Replaces a whole list (retention pruning). */
  listReplace(key: string, values: string[]): Promise<void>;
  /** Whether the store can be reached now (always true for the file). */
  healthy(): boolean;
  close(): Promise<void>;
}
