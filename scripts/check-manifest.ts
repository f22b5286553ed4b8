/**
 * `npm run check:manifest -- <manifest.schema.json>`: checks manifest.yml against Slack's JSON Schema for app
 * manifests (the schema of its `_metadata.major_version`). Slack's schema is not part of this project; give its path
 * (in the steering checkout: ../shared/slack/manifest.schema.<major>.0.0.json). Exit 1 on any problem.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { schemaProblems } from '../test/support/json-schema.js';

const manifest = parse(readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8'));
const major = manifest._metadata?.major_version ?? 1;
const path = process.argv[2] ?? new URL(`../../shared/slack/manifest.schema.${major}.0.0.json`, import.meta.url).pathname;
const problems = schemaProblems(JSON.parse(readFileSync(path, 'utf8')), manifest);
if (problems.length) {
  console.error(`manifest.yml does not conform to ${path}:\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
} else console.log(`manifest.yml conforms to ${path}`);
