/**
 * The yardstick of the Slack benchmark (bench/slack.ts): a bare Bolt app in Socket Mode that acks `/aws <text>` with
 * a fixed card, the bot's own card for that text (read from the JSON file given as the first argument, made by the
 * benchmark from the bot's acks), and does nothing else: no knowledge, no search, no store, no logging. Plain
 * JavaScript run by plain `node`, as the compiled bot is. The tokens and SLACK_API_URL come from the environment.
 */
import { readFileSync } from 'node:fs';
import { App, LogLevel } from '@slack/bolt';

const cards = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const env = process.env;
const app = new App({
  token: env.SLACK_BOT_TOKEN,
  appToken: env.SLACK_APP_TOKEN,
  socketMode: true,
  clientOptions: { slackApiUrl: env.SLACK_API_URL },
  logLevel: LogLevel.ERROR,
});
app.command('/aws', async ({ ack, command }) => ack(cards[command.text] ?? cards['']));
await app.start();
process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
