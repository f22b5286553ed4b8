/**
 * Health and metrics over HTTP (HTTP_PORT): `/healthz` answers 200 only while every check passes (the Socket Mode
 * connection is open; the state store is reachable) and 503 otherwise, with a small JSON body naming the failed
 * checks; `/metrics` is the Prometheus text. The Slack connection's state is handed in (src/slack/connection.ts
 * watches it), so nothing here knows Bolt.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/** One thing `/healthz` checks: ok or not, and a word for the body ("connected", "unreachable"). */
export interface HealthCheck {
  name: string;
  check(): { ok: boolean; state: string };
}

export interface HttpServerOptions {
  port: number;
  /** Default: every interface (a container's probe comes from outside); tests pass 127.0.0.1. */
  host?: string;
  metrics: Metrics;
  checks: HealthCheck[];
  log: Logger;
}

export interface HttpServer {
  /** The bound port (HTTP_PORT=0 picks a free one). */
  port: number;
  close(): Promise<void>;
}

/** The health body: `{status, checks: {name: state}, failed?: [names]}`. */
export function health(checks: HealthCheck[]): { ok: boolean; body: { status: string; checks: Record<string, string>; failed?: string[] } } {
  const results = checks.map((c) => ({ name: c.name, ...c.check() }));
  const failed = results.filter((r) => !r.ok).map((r) => r.name);
  const body = {
    status: failed.length ? 'unavailable' : 'ok',
    checks: Object.fromEntries(results.map((r) => [r.name, r.state])),
    ...(failed.length ? { failed } : {}),
  };
  return { ok: failed.length === 0, body };
}

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
    if (path === '/healthz') {
      const h = health(opts.checks);
      return send(h.ok ? 200 : 503, 'application/json; charset=utf-8', JSON.stringify(h.body) + '\n');
    }
    if (path === '/metrics') {
      opts.metrics.text().then(
        (text) => send(200, opts.metrics.contentType, text),
        (err: unknown) => {
          opts.log.error({ err }, 'metrics could not be collected');
          send(500, 'text/plain; charset=utf-8', 'metrics unavailable\n');
        },
      );
      return;
    }
    send(404, 'text/plain; charset=utf-8', 'not found: try /healthz or /metrics\n');
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new ConfigError('HTTP_PORT', `port ${opts.port} is already in use: pick a free one`)
          : err.code === 'EACCES'
            ? new ConfigError('HTTP_PORT', `port ${opts.port} needs privileges this process does not have: pick one above 1023`)
            : err,
      ),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  server.on('error', (err) => opts.log.error({ err }, 'http server error'));
  const port = (server.address() as AddressInfo).port;
  opts.log.info({ port }, 'health and metrics on http (/healthz, /metrics)');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The bot's health: the Socket Mode connection, the state store (when it is Redis), and not shutting down. */
export function botChecks(o: {
  connection: { connected: boolean; state: string };
  store: { healthy(): boolean };
  redis: boolean;
  closing: () => boolean;
}): HealthCheck[] {
  const checks: HealthCheck[] = [
    { name: 'slack', check: () => ({ ok: o.connection.connected, state: o.connection.state }) },
    { name: 'shutdown', check: () => (o.closing() ? { ok: false, state: 'shutting down' } : { ok: true, state: 'running' }) },
  ];
  if (o.redis) {
    checks.push({ name: 'store', check: () => (o.store.healthy() ? { ok: true, state: 'reachable' } : { ok: false, state: 'unreachable' }) });
  }
  return checks;
}
