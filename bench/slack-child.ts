/**
 * One side of the Slack memory benchmark, as its own process: `bot` (the real bot, wired as src/main.ts wires
 * it) or `minimal` (a Bolt App in Socket Mode that acks /aws with a fixed message). It connects to the fake
 * Slack at SLACK_API_URL, settles, collects garbage, and prints one line `MEMORY {rss, heapUsed, …}` (bytes).
 * It then waits for SIGTERM. Run by bench/slack.ts with `node --expose-gc --import tsx`.
 */
import { App, LogLevel } from '@slack/bolt';

const mode = process.argv[2];
const env = process.env;

async function start(): Promise<() => Promise<void>> {
  if (mode === 'bot') {
    const { loadConfig } = await import('../src/config.js');
    const { loadCore } = await import('../src/core.js');
    const { createLogger } = await import('../src/logger.js');
    const { startSlack } = await import('../src/slack/start.js');
    const config = loadConfig(env);
    const core = loadCore();
    const log = createLogger({ level: config.logLevel, destination: { write: () => undefined } });
    const slack = await startSlack(config, core, log);
    return () => slack.stop();
  }
  if (mode === 'minimal') {
    const app = new App({
      token: env.SLACK_BOT_TOKEN,
      appToken: env.SLACK_APP_TOKEN,
      socketMode: true,
      clientOptions: { slackApiUrl: env.SLACK_API_URL },
      logLevel: LogLevel.ERROR,
    });
    app.command('/aws', async ({ ack }) => ack({ response_type: 'ephemeral', text: 'fixed' }));
    await app.start();
    return async () => {
      await app.stop();
    };
  }
  throw new Error(`usage: slack-child.ts bot|minimal (got ${String(mode)})`);
}

const stop = await start();
await new Promise((r) => setTimeout(r, Number(env.SETTLE_MS ?? 1000)));
const gc = (globalThis as { gc?: () => void }).gc;
for (let i = 0; i < 3; i++) gc?.();
const m = process.memoryUsage();
process.stdout.write(`MEMORY ${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, gc: gc !== undefined })}\n`);
process.once('SIGTERM', () => {
  void stop().then(() => process.exit(0));
});
