/** `npm run check`: loads the knowledge folder and reports every problem, as the bot's start-up would. */
import { fileURLToPath } from 'node:url';
import { KnowledgeError, loadKnowledge } from '../knowledge/load.js';

const dir = process.argv[2] ?? fileURLToPath(new URL('../../knowledge', import.meta.url));
try {
  const kb = loadKnowledge(dir);
  const kinds = new Map<string, number>();
  for (const e of kb.entries) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  console.log(`knowledge OK: ${kb.entries.length} entries (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}), ${kb.tips.length} tips`);
} catch (err) {
  if (!(err instanceof KnowledgeError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
}
