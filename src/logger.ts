/**
 * Logging: one pino root, JSON by default and pretty on a terminal, with every Slack token scrubbed from every
 * line (in messages, in objects, in error messages and stacks), and every value bounded: a log line holds what
 * people sent (a query, a button's value, an id, a whole Socket Mode frame in Bolt's debug lines), and a 1 MB value
 * must not become a 1 MB line. This is the one place that bounds them: callers log values as they are.
 * Bolt's adapter is `src/slack/logger.ts`.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { createRequire } from 'node:module';

export type { Logger };

/** Slack tokens of every kind: bot, user, app-level, refresh, config. */
const tokenPattern = /\b(xox[abposre]|xapp)-[A-Za-z0-9-]+/g;

export function scrub(text: string): string {
  return text.replace(tokenPattern, '$1-[redacted]');
}

/**
 * How much of a value a line keeps: a string field (a query, an id, a button's value), the message, an error's
 * message and stack, the items of an array and the keys of an object. What is cut says how much was left out.
 */
export const logBounds = { string: 300, message: 1000, errorMessage: 1000, stack: 4000, items: 20, keys: 40, depth: 6 } as const;

/** `text` cut to `max` UTF-16 units, never inside a surrogate pair, saying how much was cut. */
export function bound(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…[${text.length - end} more chars]`;
}

/**
 * A deep copy of a log object with tokens scrubbed and every value bounded (see `logBounds`); errors become
 * {type, message, stack} (scrubbed and bounded too).
 */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return bound(scrub(value), logBounds.string);
  if (value === null || typeof value !== 'object') return value;
  if (depth > logBounds.depth) return '[nested too deep]';
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: bound(scrub(value.message), logBounds.errorMessage) };
    if (value.stack) out.stack = bound(scrub(value.stack), logBounds.stack);
    copyFields(out, value, depth, (k) => k !== 'message' && k !== 'stack');
    return out;
  }
  if (Array.isArray(value)) {
    const out = value.slice(0, logBounds.items).map((v) => scrubValue(v, depth + 1));
    if (value.length > logBounds.items) out.push(`…[${value.length - logBounds.items} more items]`);
    return out;
  }
  const out: Record<string, unknown> = {};
  copyFields(out, value, depth);
  return out;
}

/** The fields of `from` into `out`, scrubbed and bounded, at most `logBounds.keys` of them. */
function copyFields(out: Record<string, unknown>, from: object, depth: number, keep: (k: string) => boolean = () => true): void {
  let n = 0;
  let left = 0;
  for (const k in from) {
    if (!Object.hasOwn(from, k) || !keep(k)) continue;
    if (n++ >= logBounds.keys) {
      left++;
      continue;
    }
    const v = (from as Record<string, unknown>)[k];
    out[bound(k, logBounds.string)] = /token|authorization|secret/i.test(k) && typeof v === 'string' ? '[redacted]' : scrubValue(v, depth + 1);
  }
  if (left) out['…'] = `${left} more fields`;
}

export interface LoggerOptions {
  level?: string;
  /** Pretty, human-readable lines (default: when stdout is a terminal). */
  pretty?: boolean;
  /** Where lines go; tests pass a stream to read them. */
  destination?: DestinationStream;
}

/** The root logger. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const options = {
    level: opts.level ?? 'info',
    base: undefined,
    formatters: { log: (obj: Record<string, unknown>) => scrubValue(obj) as Record<string, unknown> },
    // The formatter above already turned every Error into {type, message, stack}; pino's default `err`
    // serializer would take that plain object for an error and overwrite its type with "Object".
    serializers: { err: (e: unknown) => e },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        // The message and printf arguments: scrubbed, and bounded (Bolt's debug lines carry whole frames).
        const rest = args.map((a) => (typeof a === 'string' ? bound(scrub(a), logBounds.message) : a));
        // `log.error(err)`: pino would take the Error's message, unscrubbed, as the line's msg.
        if (args[0] instanceof Error)
          method.apply(this, [{ err: args[0] }, ...(rest.length > 1 ? rest.slice(1) : [bound(scrub(args[0].message), logBounds.message)])]);
        else method.apply(this, rest);
      },
    },
  };
  if (opts.destination) return pino(options, scrubbed(opts.destination));
  const pretty = opts.pretty ?? process.stdout.isTTY === true;
  if (pretty) {
    // Loaded only for a terminal: a bot under a process manager logs JSON and never pays for it.
    const pinoPretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    return pino(options, scrubbed(pinoPretty({ colorize: true, translateTime: 'HH:MM:ss', sync: true })));
  }
  // JSON lines to stdout, asynchronously (pino's asynchronous destination, sonic-boom): a line is handed to the
  // kernel by a write that the reply does not wait for, and lines logged while one is under way go out together
  // in the next. pino flushes what is left, synchronously, when the process exits (`exit`, after SIGTERM's
  // shutdown or process.exit) and before it runs out of work (`beforeExit`), so a clean stop loses no line.
  return pino(options, scrubbed(pino.destination({ dest: 1, sync: false })));
}

/**
 * The last line of defence: every line leaves scrubbed, whatever put a token in it (a child logger's bindings
 * are written as they were given, past the log formatter). In-process, so the pretty output is covered too.
 * `logger.flush()` reaches the destination through it.
 */
function scrubbed(dest: DestinationStream & { flush?: (cb?: (err?: Error) => void) => void }): DestinationStream {
  return { write: (line: string) => dest.write(scrub(line)), ...(dest.flush ? { flush: (cb?: (err?: Error) => void) => dest.flush!(cb) } : {}) };
}
