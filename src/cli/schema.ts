/** `npm run schema`: writes the knowledge files' JSON Schemas (generated from the zod schema) to knowledge/schema/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultKnowledgeDir } from '../core.js';
import { knowledgeJsonSchemas } from '../knowledge/jsonSchema.js';

const dir = join(defaultKnowledgeDir, 'schema');
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(knowledgeJsonSchemas())) {
  writeFileSync(join(dir, name), text);
  console.log(`wrote knowledge/schema/${name}`);
}
