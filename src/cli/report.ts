/**
 * `npm run report`: the feedback summary for the maintainers, from the same store the bot uses (SQLite in
 * DATA_DIR, or Redis when STATE_URL is set), read while the bot runs: the most frequent unanswered questions
 * (grouped), the answers with the most 👎 and their reasons, and the answer rate by surface over the last 7 and 30
 * days. Expired records are pruned first; that removes only the expired records it read (the bot may be writing
 * meanwhile), and nothing read is ever written back. `--json` prints the summary as JSON.
 */
import 'dotenv/config';
import { ConfigError, loadConfig } from '../config.js';
import { currentSummary, FeedbackLog, nameIn } from '../feedback/index.js';
import { formatText } from '../feedback/format.js';
import { defaultKnowledgeDir } from '../core.js';
import { loadKnowledge, type KnowledgeBase } from '../knowledge/load.js';
import { createLogger } from '../logger.js';
import { createStore } from '../state/index.js';

async function main(argv: string[]): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Cannot report: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const log = createLogger({ level: 'warn', pretty: false, destination: process.stderr });
  let store: Awaited<ReturnType<typeof createStore>>;
  try {
    store = await createStore(config, log);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Cannot report: ${err.message}`); // a StateStartError: STATE_URL or DATA_DIR, and what is wrong
      return 2;
    }
    throw err;
  }
  try {
    const feedback = new FeedbackLog({ store, retentionDays: config.feedback.retentionDays });
    const summary = await currentSummary(feedback, Date.now());
    if (argv.includes('--json')) {
      process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      return 0;
    }
    let kb: KnowledgeBase | undefined;
    try {
      kb = loadKnowledge(defaultKnowledgeDir);
    } catch {
      // Entry names are a nicety: the ids are printed anyway.
    }
    process.stdout.write(
      formatText(summary, {
        name: nameIn(kb),
        retentionDays: config.feedback.retentionDays,
        maxRecords: feedback.maxRecords,
        enabled: config.feedback.enabled,
      }),
    );
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
