/**
 * The composition root: the only module that reads process.env. Loads the configuration and the knowledge,
 * then starts the Slack app (with tokens) or the local console (without).
 */
import 'dotenv/config';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config.js';
import { defaultKnowledgeDir, openCore, type Core } from './core.js';
import { KnowledgeError } from './knowledge/errors.js';
import { runConsole } from './cli/console.js';
import { createLogger } from './logger.js';
import { collectAfterStart } from './slack/heap.js';

/**
 * Next to this module: dist/knowledge.json (and dist/search-index.json) once built (scripts/build.mjs); running
 * src/ under tsx, there is none.
 */
const snapshotFile = fileURLToPath(new URL('./knowledge.json', import.meta.url));

async function main(): Promise<number> {
  let config: Config;
  let core: Core;
  try {
    config = loadConfig(process.env);
    // Compiled, the knowledge as the build validated and indexed it (dist/), when the folder is unchanged since.
    core = await openCore(defaultKnowledgeDir, snapshotFile);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof KnowledgeError) {
      console.error(`Cannot start: ${err.message}`);
      return 2;
    }
    throw err;
  }
  if (!config.slack) {
    await runConsole(core, process.stdin, process.stdout, process.stdin.isTTY === true);
    return 0;
  }
  const log = createLogger({ level: config.logLevel });
  // SIGTERM (a process manager, a rolling deploy) or SIGINT (Ctrl-C): stop() closes the Socket Mode connection,
  // finishes the replies in flight (up to 10 s), closes the store; then the process exits 0. A signal repeated
  // meanwhile (`npm start` relays Ctrl-C, and the terminal sends it too) does not cut that short. The handlers are
  // in place before the start begins: the socket connects (and events arrive) before the start has finished, and
  // a signal then must not kill the process with its replies in flight; the stop waits for the start.
  let slack: Awaited<ReturnType<typeof import('./slack/start.js').startSlack>> | undefined;
  let signalled = false;
  const onSignal = (signal: string) => () => {
    if (signalled) return void log.info({ signal }, 'signal received again: still shutting down');
    signalled = true;
    log.info({ signal }, 'signal received');
    // Every step of stop() is bounded; should one hang regardless, the process still ends.
    setTimeout(() => {
      log.error({ signal }, 'shutdown did not finish within 30 s: exiting');
      process.exit(1);
    }, 30_000).unref();
    if (slack) void slack.stop();
  };
  process.on('SIGINT', onSignal('SIGINT'));
  process.on('SIGTERM', onSignal('SIGTERM'));
  const { startSlack } = await import('./slack/start.js');
  try {
    slack = await startSlack(config, core, log);
  } catch (err) {
    // A setting that only fails once used (a port taken, a store out of reach) is still the operator's to fix.
    if (!(err instanceof ConfigError)) throw err;
    console.error(`Cannot start: ${err.message}`);
    return 2;
  }
  if (signalled) void slack.stop(); // a signal came while starting
  // Started: one full collection, after which V8 gives back what the start-up needed (src/slack/heap.ts).
  if (!signalled) collectAfterStart();
  await slack.stopped;
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // A start that failed half-way can leave a connection open (Redis, a socket), and a reply the shutdown gave up
    // on still holds its HTTP request: exit rather than hang on either.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
    // A start that failed half-way can leave a connection open (Redis, a socket): exit rather than hang on it.
    setTimeout(() => process.exit(1), 1000).unref();
  },
);
