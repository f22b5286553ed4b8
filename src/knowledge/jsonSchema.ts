/**
 * JSON Schemas of the knowledge files, generated from the zod schema (the one definition), for editors: each YAML
 * file names its schema on its first line (`# yaml-language-server: $schema=../schema/facts.schema.json`), so the
 * YAML language server completes fields and flags mistakes as people type. `npm run schema` writes them to
 * knowledge/schema/; a test fails when the committed ones are stale.
 */
import { z } from 'zod';
import { entrySchema, factsFileSchema, tipsFileSchema, unlistedFileSchema } from './schema.js';

/** The schema file each kind of knowledge file refers to, by the folder it lives in. */
export const schemaFileOf = (folder: string): string =>
  folder === 'facts' || folder === 'tips' || folder === 'unlisted' ? `${folder}.schema.json` : 'entry.schema.json';

/** The line each YAML file starts with, pointing its editor at the schema. */
export const schemaLine = (folder: string): string => `# yaml-language-server: $schema=../schema/${schemaFileOf(folder)}`;

/** Every schema file, by name, as the text committed to knowledge/schema/. */
export function knowledgeJsonSchemas(): Record<string, string> {
  const render = (schema: z.ZodType, title: string): string =>
    JSON.stringify({ ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), title }, null, 2) + '\n';
  return {
    'entry.schema.json': render(
      z.union([entrySchema, z.array(entrySchema)]),
      'AWS Guide knowledge entry (a service, category, practice, pattern or guide section; one, or a list)',
    ),
    'tips.schema.json': render(tipsFileSchema, 'AWS Guide tips file'),
    'facts.schema.json': render(factsFileSchema, 'AWS Guide facts file: the sourced facts of one entry'),
    'unlisted.schema.json': render(unlistedFileSchema, 'AWS Guide unlisted services: AWS services the knowledge has no entry for'),
  };
}
