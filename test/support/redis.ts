/**
 * A real Redis for tests: REDIS_URL when it is given (`.ci/run` starts one; nothing is stopped or started then),
 * else — or always, with `{ own: true }`, for tests that make outages — a `redis-server` of the system's packages
 * started on 127.0.0.1 and a free port, without persistence (`--save '' --appendonly no`), in a temporary
 * directory. `stop()` and `start()` again make an outage on the same port.
 *
 *   const redis = await startRedis({ own: true });
 *   … STATE_URL: redis.url …
 *   await redis.stop();   // an outage
 *   await redis.start();  // back, same URL (and, without persistence, empty)
 *   await redis.close();
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Whether tests can have a Redis: REDIS_URL, or a `redis-server` on the PATH. Without one, the tests that need it
 * are skipped with a warning, so `npm test` works on a machine without Redis; `.ci/run` sets REQUIRE_REDIS=1
 * (and installs Redis), so there a missing Redis fails instead of skipping.
 */
export const redisAvailable: boolean = (() => {
  const ok = Boolean(process.env.REDIS_URL) || spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!ok && process.env.REQUIRE_REDIS === '1') throw new Error('REQUIRE_REDIS=1 but no REDIS_URL and no redis-server on the PATH');
  return ok;
})();

export interface TestRedis {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** Whether this helper runs the server (false with REDIS_URL: no outage can be made). */
  readonly managed: boolean;
  /** Kills the server (an outage). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Makes the server hang without closing its sockets (SIGSTOP) or wakes it again (SIGCONT). */
  pause(paused: boolean): void;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

/** A port free now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** True once the server answers PING. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let data = '';
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      data += d.toString();
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}

export async function startRedis(opts: { own?: boolean } = {}): Promise<TestRedis> {
  const given = process.env.REDIS_URL?.trim();
  if (given && !opts.own) {
    const fail = async (): Promise<void> => {
      throw new Error('a Redis from REDIS_URL cannot be stopped or started by a test: use startRedis({ own: true })');
    };
    return { url: given, managed: false, stop: fail, start: fail, pause: () => void fail(), close: async () => undefined };
  }

  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'aws-guide-redis-'));
  let proc: ChildProcess | undefined;
  let output = '';

  const start = async (): Promise<void> => {
    if (proc) return;
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    args.push('--dir', dir, '--daemonize', 'no', '--loglevel', 'warning');
    const p = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    proc = p;
    p.stdout?.on('data', (d) => (output = (output + String(d)).slice(-4000)));
    p.stderr?.on('data', (d) => (output = (output + String(d)).slice(-4000)));
    const spawnError = new Promise<never>((_, reject) =>
      p.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'ENOENT' ? new Error('redis-server is not installed: apt-get install redis-server (or set REDIS_URL to a Redis to use)') : err,
        ),
      ),
    );
    spawnError.catch(() => undefined);
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (await Promise.race([ping(port), spawnError])) return;
      if (p.exitCode !== null) throw new Error(`redis-server exited with ${p.exitCode}: ${output}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port} within 10 s: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async (): Promise<void> => {
    const p = proc;
    if (!p) return;
    proc = undefined;
    if (p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill('SIGCONT');
    p.kill('SIGKILL'); // an outage, not a clean shutdown; nothing is persisted anyway
    await exited;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    managed: true,
    start,
    stop,
    pause: (paused) => void proc?.kill(paused ? 'SIGSTOP' : 'SIGCONT'),
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
