/**
 * Where the compiled bot's start-up goes, phase by phase, in one plain `node` process over dist/ (run by
 * bench/slack.ts): the time since the process started and the RSS after each step of what src/main.ts and
 * src/slack/start.ts do before connecting. Prints one JSON line: [{phase, ms, rss}].
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const phases = [];
const mark = (phase) => phases.push({ phase, ms: performance.now(), rss: process.memoryUsage().rss });
mark('node itself');
await import('@slack/bolt');
mark('@slack/bolt loaded');
const { loadConfig } = await import('../dist/config.js');
const { createLogger } = await import('../dist/logger.js');
mark('config and logger loaded');
const { loadKnowledgeQuickly } = await import('../dist/knowledge/snapshot.js');
const { buildCore, defaultKnowledgeDir } = await import('../dist/core.js');
mark('knowledge, search and render code loaded');
// What openCore (src/core.ts) does, in its two steps.
const { kb, from, index } = await loadKnowledgeQuickly(defaultKnowledgeDir, fileURLToPath(new URL('../dist/knowledge.json', import.meta.url)));
mark(
  from === 'snapshot'
    ? `knowledge read (dist/knowledge.json${index ? ' and search-index.json' : ''}, folder unchanged)`
    : 'knowledge read and validated (YAML, schema)',
);
const core = buildCore(kb, undefined, index);
mark(core.searcher.prebuilt ? 'search indexes read back, renderer built' : 'search indexes built, renderer built');
await import('../dist/slack/start.js');
mark('Slack side loaded (listeners, tips, feedback, state)');
const dir = mkdtempSync(join(tmpdir(), 'aws-guide-phases-'));
const { createStore } = await import('../dist/state/index.js');
const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-phases', SLACK_APP_TOKEN: 'xapp-phases', DATA_DIR: dir });
const store = await createStore(config, createLogger({ level: 'silent' }));
mark('state store opened (SQLite)');
await store.close();
rmSync(dir, { recursive: true, force: true });
if (core.kb.entries.length === 0) throw new Error('no entries');
process.stdout.write(`PHASES ${JSON.stringify(phases)}\n`);
