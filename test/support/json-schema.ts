/**
 * A small JSON Schema (draft 4-7 style) checker for what Slack's app manifest schemas use
 * (/work/shared/slack/manifest.schema.*.json): type, properties, required, additionalProperties,
 * patternProperties, items, min/maxItems, uniqueItems, min/maxLength, pattern, enum, local $ref, anyOf,
 * min/maxProperties. Other keywords (format, default, descriptions) are not checked. It returns every problem
 * with the path where it is, e.g. `settings.event_subscriptions.bot_events[3]: longer than 50`.
 */
type Schema = Record<string, any>;

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;

function typeMatches(want: string, v: unknown): boolean {
  const t = typeOf(v);
  return want === t || (want === 'number' && t === 'integer');
}

/** Every problem of `value` against `schema` (whose `definitions` a `$ref` reads), or [] when it conforms. */
export function schemaProblems(root: Schema, value: unknown, schema: Schema = root, path = '$'): string[] {
  if (schema.$ref) {
    const m = /^#\/definitions\/(.+)$/.exec(schema.$ref as string);
    const target = m ? root.definitions?.[m[1]!] : undefined;
    if (!target) return [`${path}: unknown $ref ${String(schema.$ref)}`];
    return schemaProblems(root, value, target, path);
  }
  const out: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(t, value))) return [`${path}: is ${typeOf(value)}, not ${types.join(' or ')}`];
  }
  if (schema.enum && !(schema.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value)))
    out.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.anyOf) {
    const each = (schema.anyOf as Schema[]).map((s) => schemaProblems(root, value, s, path));
    if (!each.some((p) => p.length === 0)) out.push(`${path}: matches none of anyOf (${each.map((p) => p[0]).join(' | ')})`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) out.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) out.push(`${path}: longer than ${schema.maxLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern as string, 'u').test(value))
      out.push(`${path}: does not match /${schema.pattern}/`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) out.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) out.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) out.push(`${path}: items are not unique`);
    if (schema.items && !Array.isArray(schema.items))
      for (const [i, v] of value.entries()) out.push(...schemaProblems(root, v, schema.items as Schema, `${path}[${i}]`));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) out.push(`${path}: fewer than ${schema.minProperties} properties`);
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) out.push(`${path}: more than ${schema.maxProperties} properties`);
    for (const r of (schema.required as string[] | undefined) ?? []) if (!(r in obj)) out.push(`${path}: ${r} is required`);
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const patterns = Object.entries((schema.patternProperties ?? {}) as Record<string, Schema>).map(([p, s]) => [new RegExp(p, 'u'), s] as const);
    for (const k of keys) {
      const at = `${path}.${k}`;
      let known = false;
      if (props[k]) {
        known = true;
        out.push(...schemaProblems(root, obj[k], props[k]!, at));
      }
      for (const [re, s] of patterns)
        if (re.test(k)) {
          known = true;
          out.push(...schemaProblems(root, obj[k], s, at));
        }
      if (known) continue;
      if (schema.additionalProperties === false) out.push(`${at}: not allowed here`);
      else if (typeof schema.additionalProperties === 'object') out.push(...schemaProblems(root, obj[k], schema.additionalProperties as Schema, at));
    }
  }
  return out;
}
