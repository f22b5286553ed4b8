/** Bolt's Logger over the bot's pino logger, so Bolt's own lines are scrubbed, leveled and structured like ours. */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger.js';

const boltLevels: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/**
 * Bolt's Logger over pino. Bolt calls `error('An unhandled error occurred', err)`; the Error becomes `{err}` so
 * its type, message and stack survive instead of being flattened into the message string.
 */
export function boltLogger(log: Logger): BoltLogger {
  let child = log.child({ component: 'bolt' });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      // Bolt and its Socket Mode client log several debug lines per envelope (some holding the whole frame): at the
      // usual levels they are dropped here, before any work on them.
      if (!child.isLevelEnabled(level)) return;
      const err = msg.find((m): m is Error => m instanceof Error);
      const objects = msg.filter((m) => m !== err && m !== null && typeof m === 'object');
      const text = msg
        .filter((m) => m !== err && (m === null || typeof m !== 'object'))
        .map(String)
        .join(' ');
      const fields: Record<string, unknown> = {};
      if (err) fields.err = err;
      if (objects.length) fields.data = objects.length === 1 ? objects[0] : objects;
      child[level](fields, text || err?.message || '');
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => undefined, // the level is the root logger's, set once from LOG_LEVEL
    getLevel: () => boltLevels[log.level] ?? LogLevel.INFO,
    setName: (name: string) => {
      child = log.child({ component: name });
    },
  };
}
