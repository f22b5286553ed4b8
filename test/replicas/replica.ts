/**
 * One bot replica as a child process, exactly as it runs in production (`node --import tsx src/main.ts`), with
 * its JSON log lines captured from stdout and its /healthz and /metrics on a port of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/redis.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every variable of CONTRACT.md §3: set here, so a developer's `.env` (dotenv never overrides) cannot leak in. */
const contractVars = [
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'TIP_CHANNEL',
  'TIP_SCHEDULE',
  'TIP_TIMEZONE',
  'DATA_DIR',
  'LOG_LEVEL',
  'STATE_URL',
  'HTTP_PORT',
  'ADMIN_USERS',
  'FEEDBACK',
  'FEEDBACK_RETENTION_DAYS',
];

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export interface Replica {
  name: string;
  port: number;
  logs(): LogLine[];
  /** GET http://127.0.0.1:<port><path>: status and body. */
  get(path: string): Promise<{ status: number; body: string }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
  /** kill -9: no shutdown at all; resolves once the process is gone. */
  kill(): Promise<void>;
  /** What the process wrote to stderr (for failure messages). */
  stderr(): string;
}

export async function startReplica(name: string, env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `aws-guide-${name}-`));
  const fullEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const v of contractVars) fullEnv[v] = '';
  Object.assign(fullEnv, { DATA_DIR: dataDir, LOG_LEVEL: 'info', HTTP_PORT: String(port), ...env });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let partial = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) {
      if (!p.trim()) continue;
      try {
        lines.push(JSON.parse(p) as LogLine);
      } catch {
        lines.push({ level: 0, msg: p });
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => void (err = (err + chunk).slice(-8000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const replica: Replica = {
    name,
    port,
    logs: () => lines,
    stderr: () => err,
    async get(path) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3000) });
      return { status: res.status, body: await res.text() };
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
      return child.exitCode;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };

  // Up means: connected to Slack and serving /healthz.
  const deadline = Date.now() + 30_000;
  while (!lines.some((l) => l.msg === 'connected to Slack (Socket Mode)')) {
    if (child.exitCode !== null) throw new Error(`replica ${name} exited with ${child.exitCode}: ${err}`);
    if (Date.now() > deadline) {
      await replica.stop(1000);
      throw new Error(
        `replica ${name} did not connect within 30 s; stderr: ${err}; log: ${lines
          .slice(-5)
          .map((l) => l.msg)
          .join(' | ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return replica;
}
