/**
 * Loading the knowledge folder: parse every YAML file, validate it against the schema, then check what no single
 * file can check alone (duplicate ids, unknown links, aliases claimed twice, categories that disagree with their
 * services). Every problem is reported as `file:line field: what is wrong`, and all of them at once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { entrySchema, factsFileSchema, tipsFileSchema, unlistedFileSchema, type Entry, type Fact, type Tip, type UnlistedService } from './schema.js';
import { nameKey } from './names.js';
import { assemble } from './snapshot.js';
import { KnowledgeError, type KnowledgeProblem } from './errors.js';

export { formatProblem, KnowledgeError, type KnowledgeProblem } from './errors.js';

export interface KnowledgeBase {
  entries: Entry[];
  byId: Map<string, Entry>;
  tips: Tip[];
  /** Every fact, in file order. */
  facts: Fact[];
  /** The facts of each entry, in file order. */
  factsByEntry: Map<string, Fact[]>;
  /** AWS services the knowledge has no entry for (knowledge/unlisted/). */
  unlisted: UnlistedService[];
}

/** A file's text, named as it should appear in messages. */
export interface SourceFile {
  name: string;
  text: string;
}

/** Reads every `.yaml`/`.yml` file under `dir`, sorted so that loading is deterministic. */
export function readKnowledgeDir(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) out.push({ name: relative(dir, path) || name, text: readFileSync(path, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

/** Loads and checks the knowledge folder; throws a KnowledgeError listing every problem. */
export function loadKnowledge(dir: string): KnowledgeBase {
  return buildKnowledge(readKnowledgeDir(dir));
}

interface Located<T> {
  value: T;
  file: string;
  line: (path: (string | number)[]) => number | undefined;
}

/** Parses, validates and cross-checks a set of files; pure, so tests can feed it broken files. */
export function buildKnowledge(files: SourceFile[]): KnowledgeBase {
  const problems: KnowledgeProblem[] = [];
  const entries: Located<Entry>[] = [];
  const tips: Located<Tip>[] = [];
  const facts: Located<Fact>[] = [];
  const unlisted: Located<UnlistedService>[] = [];

  for (const file of files) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(file.text, { lineCounter, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const line = err.linePos?.[0]?.line;
        problems.push({ file: file.name, ...(line ? { line } : {}), message: `YAML ${err.code}: ${firstLine(err.message)}` });
      }
      continue;
    }
    const lineOf = (path: (string | number)[]): number | undefined => nodeLine(doc, lineCounter, path);
    const data: unknown = doc.toJS();
    if (isMap(doc.contents) && (data as { kind?: unknown }).kind === 'tips') {
      const parsed = tipsFileSchema.safeParse(data);
      if (!parsed.success) problems.push(...zodProblems(parsed.error, file.name, [], lineOf));
      else parsed.data.tips.forEach((tip, i) => void tips.push({ value: tip, file: file.name, line: (p) => lineOf(['tips', i, ...p]) }));
      continue;
    }
    if (isMap(doc.contents) && (data as { kind?: unknown }).kind === 'facts') {
      const parsed = factsFileSchema.safeParse(data);
      if (!parsed.success) problems.push(...zodProblems(parsed.error, file.name, [], lineOf));
      else
        parsed.data.facts.forEach(
          (f, i) => void facts.push({ value: { ...f, entry: parsed.data.entry }, file: file.name, line: (p) => lineOf(['facts', i, ...p]) }),
        );
      continue;
    }
    if (isMap(doc.contents) && (data as { kind?: unknown }).kind === 'unlisted') {
      const parsed = unlistedFileSchema.safeParse(data);
      if (!parsed.success) problems.push(...zodProblems(parsed.error, file.name, [], lineOf));
      else parsed.data.services.forEach((u, i) => void unlisted.push({ value: u, file: file.name, line: (p) => lineOf(['services', i, ...p]) }));
      continue;
    }
    const items: unknown[] = isSeq(doc.contents) ? (data as unknown[]) : [data];
    if (data === null || data === undefined) {
      problems.push({ file: file.name, message: 'the file is empty' });
      continue;
    }
    items.forEach((raw, i) => {
      const prefix = isSeq(doc.contents) ? [i] : [];
      const parsed = entrySchema.safeParse(raw);
      if (!parsed.success) problems.push(...zodProblems(parsed.error, file.name, prefix, lineOf));
      else entries.push({ value: parsed.data, file: file.name, line: (p) => lineOf([...prefix, ...p]) });
    });
  }

  problems.push(...crossCheck(entries, tips, facts), ...unlistedCheck(entries, unlisted));
  if (problems.length > 0) throw new KnowledgeError(problems);

  return assemble(
    entries.map((e) => e.value),
    tips.map((t) => t.value),
    facts.map((f) => f.value),
    unlisted.map((u) => u.value),
  );
}

/** An entry's names (its name, long name and aliases), each with where it is written. */
function namesOf(e: Entry): { text: string; path: (string | number)[]; field: string }[] {
  const names: { text: string; path: (string | number)[]; field: string }[] = [{ text: e.name, path: ['name'], field: 'name' }];
  if (e.kind === 'service') names.push({ text: e.full_name, path: ['full_name'], field: 'full_name' });
  e.aliases.forEach((a, i) => void names.push({ text: a, path: ['aliases', i], field: `aliases[${i}]` }));
  return names;
}

/** An unlisted service must not be named as an entry is: the entry's name would say the knowledge has it. */
function unlistedCheck(entries: Located<Entry>[], unlisted: Located<UnlistedService>[]): KnowledgeProblem[] {
  const owned = new Map<string, string>();
  for (const { value: e } of entries) for (const n of [e.id, ...namesOf(e).map((x) => x.text)]) owned.set(nameKey(n), e.id);
  const problems: KnowledgeProblem[] = [];
  for (const u of unlisted)
    u.value.says.forEach((say, i) => {
      const id = owned.get(nameKey(say));
      const line = u.line(['says', i]);
      if (id) problems.push({ file: u.file, ...(line ? { line } : {}), field: `says[${i}]`, message: `"${say}" names the entry "${id}"` });
    });
  return problems;
}

function crossCheck(entries: Located<Entry>[], tips: Located<Tip>[], facts: Located<Fact>[]): KnowledgeProblem[] {
  const problems: KnowledgeProblem[] = [];
  const at = (e: Located<unknown>, path: (string | number)[], field: string, message: string): KnowledgeProblem => {
    const line = e.line(path);
    return { file: e.file, ...(line ? { line } : {}), field, message };
  };

  const byId = new Map<string, Located<Entry>>();
  for (const e of entries) {
    const first = byId.get(e.value.id);
    if (first) problems.push(at(e, ['id'], 'id', `duplicate id "${e.value.id}", first defined in ${first.file}`));
    else byId.set(e.value.id, e);
  }

  // Every reference must point at an entry of the right kind.
  const refs = (e: Entry): { field: string; ids: string[]; kind?: Entry['kind'] }[] => {
    const list: { field: string; ids: string[]; kind?: Entry['kind'] }[] =
      e.kind === 'service' ? [{ field: 'related', ids: e.related, kind: 'service' }] : [{ field: 'see_also', ids: e.see_also }];
    if (e.kind === 'service') list.push({ field: 'categories', ids: e.categories, kind: 'category' });
    if (e.kind === 'category') list.push({ field: 'services', ids: e.services, kind: 'service' });
    if (e.kind === 'pattern') list.push({ field: 'services', ids: e.services });
    return list;
  };
  for (const e of entries) {
    for (const { field, ids, kind } of refs(e.value)) {
      ids.forEach((ref, i) => {
        const target = byId.get(ref);
        if (!target) problems.push(at(e, [field, i], `${field}[${i}]`, `unknown id "${ref}"`));
        else if (kind && target.value.kind !== kind)
          problems.push(at(e, [field, i], `${field}[${i}]`, `"${ref}" is a ${target.value.kind}, not a ${kind}`));
        else if (ref === e.value.id) problems.push(at(e, [field, i], `${field}[${i}]`, 'an entry cannot refer to itself'));
      });
    }
    if ('items' in e.value || e.value.kind === 'pattern') {
      const items = e.value.kind === 'pattern' ? e.value.steps : e.value.items;
      const field = e.value.kind === 'pattern' ? 'steps' : 'items';
      items.forEach((item, i) => {
        item.related.forEach((ref, j) => {
          if (!byId.has(ref)) problems.push(at(e, [field, i, 'related', j], `${field}[${i}].related[${j}]`, `unknown id "${ref}"`));
        });
      });
    }
  }

  // A category lists exactly the services that name it.
  for (const e of entries) {
    if (e.value.kind !== 'category') continue;
    const named = entries.filter((s) => s.value.kind === 'service' && s.value.categories.includes(e.value.id)).map((s) => s.value.id);
    const listed = e.value.services;
    const missing = named.filter((id) => !listed.includes(id));
    const extra = listed.filter((id) => byId.get(id)?.value.kind === 'service' && !named.includes(id));
    if (missing.length) problems.push(at(e, ['services'], 'services', `missing ${missing.join(', ')}, which name this category`));
    if (extra.length)
      problems.push(at(e, ['services'], 'services', `lists ${extra.join(', ')}, which do not name this category in their categories`));
  }

  // One name, one entry: an alias (or a name) claimed by two entries would make search a coin toss.
  const claimed = new Map<string, { entry: Located<Entry> }>();
  for (const e of entries) {
    const seenHere = new Set<string>();
    for (const n of namesOf(e.value)) {
      const key = nameKey(n.text);
      if (!key) {
        problems.push(at(e, n.path, n.field, `"${n.text}" is empty once "Amazon"/"AWS" and punctuation are removed`));
        continue;
      }
      if (seenHere.has(key)) continue;
      seenHere.add(key);
      const other = claimed.get(key);
      if (other && other.entry !== e)
        problems.push(at(e, n.path, n.field, `"${n.text}" is already claimed by "${other.entry.value.id}" (${other.entry.file})`));
      else claimed.set(key, { entry: e });
    }
  }

  const tipIds = new Map<string, Located<Tip>>();
  for (const t of tips) {
    const first = tipIds.get(t.value.id);
    if (first) problems.push(at(t, ['id'], 'id', `duplicate tip id "${t.value.id}", first defined in ${first.file}`));
    else tipIds.set(t.value.id, t);
    if (!byId.has(t.value.entry)) problems.push(at(t, ['entry'], 'entry', `unknown id "${t.value.entry}"`));
  }

  // A fact belongs to an entry that exists, carries its entry's id as prefix, and is defined once.
  const factIds = new Map<string, Located<Fact>>();
  for (const f of facts) {
    const { id, entry, versus } = f.value;
    const first = factIds.get(id);
    if (first) problems.push(at(f, ['id'], 'id', `duplicate fact id "${id}", first defined in ${first.file}`));
    else factIds.set(id, f);
    if (!byId.has(entry)) problems.push({ file: f.file, field: 'entry', message: `unknown id "${entry}"` });
    else if (!id.startsWith(`${entry}-`)) problems.push(at(f, ['id'], 'id', `"${id}" must start with "${entry}-"`));
    versus.forEach((v, i) => {
      if (!byId.has(v)) problems.push(at(f, ['versus', i], `versus[${i}]`, `unknown id "${v}"`));
    });
  }
  return problems;
}

function zodProblems(
  error: z.ZodError,
  file: string,
  prefix: (string | number)[],
  lineOf: (path: (string | number)[]) => number | undefined,
): KnowledgeProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const full = [...prefix, ...path];
    // The line of the field itself, or of the closest parent that exists (a missing field has no line).
    let line: number | undefined;
    for (let n = full.length; n >= 0 && line === undefined; n--) line = lineOf(full.slice(0, n));
    const field = path.length ? path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('') : undefined;
    return { file, ...(line ? { line } : {}), ...(field ? { field } : {}), message: issue.message };
  });
}

function nodeLine(doc: Document, lc: LineCounter, path: (string | number)[]): number | undefined {
  const node = path.length ? doc.getIn(path, true) : doc.contents;
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  if (range) return lc.linePos(range[0]).line;
  // A scalar in a sequence or map is returned as a node when keepScalar is true; fall back to the parent pair.
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
