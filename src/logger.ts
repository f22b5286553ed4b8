/**
 * Logging: one pino root, JSON by default and pretty on a terminal, with every Slack token scrubbed from every
 * line (in messages, in objects, in error messages and stacks). Bolt's adapter is `src/slack/logger.ts`.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { createRequire } from 'node:module';

export type { Logger };

/** Slack tokens of every kind: bot, user, app-level, refresh, config. */
const tokenPattern = /\b(xox[abposre]|xapp)-[A-Za-z0-9-]+/g;

export function scrub(text: string): string {
  return text.replace(tokenPattern, '$1-[redacted]');
}

/** A deep copy of a log object with tokens scrubbed; errors become {type, message, stack} (scrubbed too). */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: scrub(value.message) };
    if (value.stack) out.stack = scrub(value.stack);
    for (const [k, v] of Object.entries(value)) if (k !== 'message' && k !== 'stack') out[k] = scrubValue(v, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = /token|authorization|secret/i.test(k) && typeof v === 'string' ? '[redacted]' : scrubValue(v, depth + 1);
  return out;
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
        const rest = args.map((a) => (typeof a === 'string' ? scrub(a) : a));
        // `log.error(err)`: pino would take the Error's message, unscrubbed, as the line's msg.
        if (args[0] instanceof Error) method.apply(this, [{ err: args[0] }, ...(rest.length > 1 ? rest.slice(1) : [scrub(args[0].message)])]);
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
  return pino(options, scrubbed(pino.destination({ dest: 1, sync: true })));
}

/**
 * The last line of defence: every line leaves scrubbed, whatever put a token in it (a child logger's bindings
 * are written as they were given, past the log formatter). In-process, so the pretty output is covered too.
 */
function scrubbed(dest: DestinationStream): DestinationStream {
  return { write: (line: string) => dest.write(scrub(line)) };
}
