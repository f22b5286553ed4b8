/**
 * One way for tests to read what the bot logs: a real pino logger (createLogger, tokens scrubbed) writing into
 * memory instead of stdout, as pino's own tests inject the stream rather than mock the logger.
 */
import { createLogger, type Logger } from '../../src/logger.js';

/** One parsed JSON log line (pino: level is numeric, 20 debug, 30 info, 40 warn, 50 error). */
export interface LogLine {
  level: number;
  msg?: string;
  time?: number;
  [key: string]: unknown;
}

export const levels = { debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

/** A pino destination that keeps every line in memory. */
export function captureStream(): { write(line: string): void; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    write(chunk: string) {
      for (const l of chunk.split('\n')) if (l.trim()) lines.push(l);
    },
  };
}

export interface CapturedLog {
  log: Logger;
  /** Every line so far, as written (the live array: it grows as the logger writes). */
  raw: readonly string[];
  /** Every line so far, parsed (a line that is not JSON comes back as `{level: 0, msg: line}`). */
  lines(): LogLine[];
  /** The same, as a live array parsed as the lines are written. */
  parsed: readonly LogLine[];
}

/** A logger at `level` whose lines the test reads back. */
export function capturedLog(level = 'debug'): CapturedLog {
  const stream = captureStream();
  const parsed: LogLine[] = [];
  const destination = {
    write(chunk: string) {
      const before = stream.lines.length;
      stream.write(chunk);
      for (const l of stream.lines.slice(before)) parsed.push(parseLine(l));
    },
  };
  return { log: createLogger({ level, destination }), raw: stream.lines, lines: () => stream.lines.map(parseLine), parsed };
}

export function parseLine(line: string): LogLine {
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return { level: 0, msg: line, unparsable: true };
  }
}
