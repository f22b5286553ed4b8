/**
 * The shape of a knowledge file. One YAML file holds one entry (a mapping) or a small group (a sequence).
 *
 * zod gives us, for free, what a hand-written validator would get wrong at the edges: the exact path of the
 * failing field, unknown-key detection, and TypeScript types inferred from the same definition.
 */
import { z } from 'zod';

/** Ids are lowercase words joined by `-` (CONTRACT.md §1). */
export const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const id = z.string().regex(idPattern, 'must be lowercase words joined by "-"');
const text = z.string().trim().min(1, 'must not be empty').max(400, 'must be at most 400 characters');
const longText = z.string().trim().min(1, 'must not be empty').max(1500, 'must be at most 1500 characters');
const texts = z.array(text);
const url = z.string().regex(/^https:\/\/[^\s]+$/, 'must be an https:// URL');

/** Names people use for an entry: lowercase is not required, matching ignores case. */
const aliases = z.array(z.string().trim().min(1).max(80)).default([]);

/** Equivalent services in other clouds, shown as "Similar to" and searchable. */
const equivalents = z.object({ azure: z.array(text).optional(), gcp: z.array(text).optional() }).strict();

/** A labelled list the guide gives for some services: engines, types, tiers, runtimes, languages. */
const detail = z.object({ label: text, items: texts.min(1) }).strict();

const common = {
  id,
  /** Short display name, as people say it: "Amazon SQS". */
  name: text,
  aliases,
  /** Where the entry comes from: the guide, or public AWS documentation beyond it. */
  source: z.enum(['guide', 'extended']).default('guide'),
  /** Extra search terms: jargon and phrasings people use that the text above does not contain. */
  terms: z.array(z.string().trim().min(1).max(120)).default([]),
};

/** Other entries worth a look from this one: one-way links, shown as "See also" buttons. */
const seeAlso = { see_also: z.array(id).default([]) };

export const serviceSchema = z
  .object({
    ...common,
    kind: z.literal('service'),
    /** The long name, "Amazon Simple Queue Service". */
    full_name: text,
    /** The first is the primary category; a category entry lists exactly the services that name it. */
    categories: z.array(id).min(1),
    purpose: text,
    use_cases: texts.default([]),
    key_features: texts.default([]),
    senior_focus: texts.default([]),
    details: z.array(detail).default([]),
    equivalents: equivalents.optional(),
    docs: url,
    /**
     * The service's names in technical text when they differ from its name and aliases: the namespace in ARNs,
     * endpoints, IAM actions and SDK errors (`states` for Step Functions, `elasticloadbalancing` for ELB), the
     * CloudFormation and Terraform type names (`StepFunctions`, `sfn`). Matched only in those places, never as words.
     */
    namespaces: z.array(z.string().regex(/^[a-z0-9-]+$/, 'must be lowercase letters, digits and -')).default([]),
    /** Services that go with this one; mutual (if A lists B, B lists A), shown as buttons on the card. */
    related: z.array(id).default([]),
  })
  .strict();

export const categorySchema = z
  .object({
    ...common,
    kind: z.literal('category'),
    ...seeAlso,
    summary: text,
    services: z.array(id).min(1),
  })
  .strict();

/** One item of a practice, tips list, checklist or reference section. */
const item = z
  .object({
    /** Optional heading of the group the item belongs to ("Certification paths"). */
    group: text.optional(),
    title: text.optional(),
    text,
    url: url.optional(),
    related: z.array(id).default([]),
  })
  .strict();

export const practiceSchema = z.object({ ...common, ...seeAlso, kind: z.literal('practice'), summary: text, items: z.array(item).min(1) }).strict();

export const patternSchema = z
  .object({
    ...common,
    kind: z.literal('pattern'),
    ...seeAlso,
    summary: text,
    /** The main flow, one line: "Route 53 → API Gateway → Lambda → DynamoDB". */
    flow: text,
    /** The guide's diagram, branches included, as lines of plain text. */
    diagram: z.array(text).min(1),
    /** What each step does, in order. */
    steps: z.array(item).default([]),
    services: z.array(id).min(1),
  })
  .strict();

/** The guide's other sections: pro tips, the checklist, top 10, the cheat sheet, resources. */
export const guideSchema = z.object({ ...common, ...seeAlso, kind: z.literal('guide'), summary: text, items: z.array(item).min(1) }).strict();

export const entrySchema = z.discriminatedUnion('kind', [serviceSchema, categorySchema, practiceSchema, patternSchema, guideSchema]);

/** A tips file: short actionable sentences, each tied to the entry whose card it links to. */
export const tipsFileSchema = z
  .object({
    kind: z.literal('tips'),
    tips: z
      .array(
        z
          .object({
            /** Stable id, `<entry>-<slug>`: the rotation state refers to tips by id. */
            id,
            text: longText.refine((t) => !/<[!@#]|@(here|channel|everyone)\b/i.test(t), 'must not contain Slack mentions (<!channel>, <@U…>, @here)'),
            entry: id,
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

/** What a fact answers: a number, a default, a guarantee, a command, an error, a choice, a price model, a date. */
export const factTypes = ['limit', 'default', 'behaviour', 'howto', 'error', 'choice', 'cost', 'lifecycle'] as const;

/** `YYYY-MM-DD`, a real calendar day. YAML reads an unquoted date as a Date, so both forms are accepted. */
const day = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'must be a real date'),
);

/** The AWS documentation page a fact was checked against. */
const awsDocsUrl = z
  .string()
  .regex(/^https:\/\/docs\.aws\.amazon\.com\/\S+$/, 'must be a page under https://docs.aws.amazon.com/')
  .refine((u) => !/^https:\/\/docs\.aws\.amazon\.com\/[a-z]{2}_[a-z]{2}\//.test(u), 'must be the English page (no /ja_jp/-style locale)');

/**
 * One fact: a short statement, in this project's words, that answers one question, with the page it was checked
 * against and the day it was checked.
 */
export const factSchema = z
  .object({
    /** Stable id, `<entry>-<slug>`. */
    id: id.describe('Stable id, <entry>-<slug>: lowercase words joined by "-".'),
    type: z
      .enum(factTypes)
      .describe('What the fact answers: a limit, a default, a guarantee (behaviour), a howto, an error, a choice, the cost model, a lifecycle date.'),
    /** The answer as the reply states it, numbers and units included; plain text (the renderer escapes it). */
    answer: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(600, 'must be at most 600 characters')
      .refine((t) => !/<[!@#]|<https?:|@(here|channel|everyone)\b/.test(t), 'must be plain text (no Slack mentions or <links>)')
      .describe("The answer as the reply states it, in this project's own words: numbers with units, whether a limit can be raised. Plain text."),
    /** The words people use when they ask for it: short phrases, not whole questions. */
    asks: z
      .array(z.string().trim().min(1).max(120))
      .min(1, 'must give at least one way people ask for it')
      .describe('Short phrases people use when they ask for it (words, synonyms, API names, symptoms), not whole questions.'),
    /** For `type: error`: the codes and message fragments exactly as they appear in a paste. */
    errors: z
      .array(z.string().trim().min(3).max(200))
      .default([])
      .describe('For type error: the codes (matched as written) and message fragments (any case) as they appear in a paste.'),
    /** For `type: choice` between entries: the other entries it is weighed against (none for a choice inside one service). */
    versus: z.array(id).default([]).describe('For type choice: the other entries it is weighed against.'),
    /** For a limit: whether it can be raised (a quota increase); leave it out when the page does not say. */
    adjustable: z
      .boolean()
      .optional()
      .describe('For a limit: true if it can be raised (Service Quotas), false for a hard limit; leave out when the page does not say.'),
    source: awsDocsUrl.describe('The AWS documentation page (English, docs.aws.amazon.com) the fact was checked against.'),
    checked: day.describe('The day it was last checked against that page, YYYY-MM-DD.'),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.type === 'error' && f.errors.length === 0)
      ctx.addIssue({ code: 'custom', path: ['errors'], message: 'an error fact must list the codes or messages it answers' });
    if (f.type !== 'error' && f.errors.length > 0)
      ctx.addIssue({ code: 'custom', path: ['errors'], message: 'only a fact of type error lists errors' });
  });

/** A facts file: the facts of one entry. */
export const factsFileSchema = z
  .object({
    kind: z.literal('facts'),
    entry: id,
    facts: z.array(factSchema).min(1),
  })
  .strict();

export type Fact = z.infer<typeof factSchema> & { entry: string };
export type FactType = (typeof factTypes)[number];
export type Service = z.infer<typeof serviceSchema>;
export type Category = z.infer<typeof categorySchema>;
export type Practice = z.infer<typeof practiceSchema>;
export type Pattern = z.infer<typeof patternSchema>;
export type GuideSection = z.infer<typeof guideSchema>;
export type Entry = z.infer<typeof entrySchema>;
export type EntryKind = Entry['kind'];
export type Item = z.infer<typeof item>;
export type Tip = z.infer<typeof tipsFileSchema>['tips'][number];

/**
 * An AWS service the knowledge has no entry for: a question about it is told so, with its documentation, rather than
 * given another service's card.
 */
export const unlistedServiceSchema = z
  .object({
    name: z.string().trim().min(1).describe('The service as AWS names it, e.g. "Amazon Keyspaces (for Apache Cassandra)".'),
    says: z
      .array(z.string().trim().min(3).max(60))
      .min(1)
      .describe(
        'How a question names it, matched as whole words in any case. Keep "Amazon"/"AWS" in a name that is also a common word ("Amazon Connect").',
      ),
    docs: awsDocsUrl.describe('Its documentation on docs.aws.amazon.com.'),
  })
  .strict();

/** The file of AWS services the knowledge does not cover. */
export const unlistedFileSchema = z
  .object({
    kind: z.literal('unlisted'),
    services: z.array(unlistedServiceSchema).min(1),
  })
  .strict();

export type UnlistedService = z.infer<typeof unlistedServiceSchema>;
