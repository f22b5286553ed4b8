/**
 * Every tuning knob of the search (how hits are found and ranked), each with the case it serves. What counts as
 * confident is the answer layer's (`src/answer/options.ts`). Change a value, run `npm run eval` on every set, and
 * keep the change only if none drops.
 */
export interface SearchOptions {
  /**
   * Field boosts for BM25. Names and aliases dominate so that "dynamodb table" is about DynamoDB; purpose and
   * use cases outweigh features and focus so that "block storage for EC2" finds EBS (whose purpose it is), not
   * EC2 (which merely appears); list items of practices and guide sections stay low so that those long entries
   * don't win every question by sheer size. A service's category names ("Containers & Registry") describe it
   * too: "containers on kubernetes" reaches EKS through its category.
   */
  boost: Record<SearchField, number>;
  /** Fuzzy distance as a fraction of a term's length ("lamda", "dyanmodb"), only for terms of at least `fuzzyMinLength`. */
  fuzzy: number;
  fuzzyMinLength: number;
  /** The most edits a typo may have, however long the word: typos rarely have more, and each more costs a lot. */
  maxFuzzy: number;
  /** Prefix matching ("kube" → kubernetes) for terms of at least this length. */
  prefixMinLength: number;
  /** At most this many words of one question are looked up as typos or prefixes (a paste's ids and paths are not typos). */
  maxVariantTerms: number;
  /** Questions of more distinct words than this get no typo or prefix look-ups at all. */
  maxVariantQueryWords: number;
  /** Weight of a word no entry contains: lower than most known words, so chatty questions aren't sunk by it. */
  unknownWeight: number;
  /**
   * How much a match counts, by the field it is in: a word in an entry's name or purpose says more about what the
   * entry is for than the same word in a list of features or focus points.
   */
  fieldStrength: Record<SearchField, number>;
  /** How strongly coverage reorders BM25 results: score × coverage^coverageExponent. */
  coverageExponent: number;
  /** A query term matched only through a fuzzy or prefix variant counts this much of its weight as matched. */
  approximateCredit: number;
  /** Largest edit distance for a whole-name typo ("cloudtrial", "rout53"), by the length of the name. */
  nameTypoDistance: (length: number) => number;
  /**
   * Prior weight of an entry in text search, by kind and source. A question in words is usually about a service,
   * and the guide's own services are the core: "run containers on kubernetes" is EKS, not the Containers
   * category; "multi-account governance" is Organizations before Control Tower. Topics are still found by their
   * names ("databases", "security best practices"), which don't go through this prior.
   */
  prior: { service: number; extendedService: number; category: number; practice: number; pattern: number; guide: number };
  /** In the text ranking, the weight of the words that name a service when the query has other words too. */
  namedTermWeight: number;
  /** Factor for an entry whose field contains the whole query as a phrase, by field. */
  phraseBoost: Partial<Record<SearchField, number>>;
  /** Extra factor when a whole item of that field (a use case, a focus point, the purpose) is the query. */
  wholeItemBoost: number;
  /** How many of MiniSearch's results are reordered by coverage and boosts (the rest are dropped). */
  rerankDepth: number;
}

export type SearchField = 'name' | 'aliases' | 'equivalents' | 'terms' | 'purpose' | 'uses' | 'features' | 'focus' | 'items' | 'category';

export const searchFields: SearchField[] = ['name', 'aliases', 'equivalents', 'terms', 'purpose', 'uses', 'features', 'focus', 'items', 'category'];

export const defaultSearchOptions: SearchOptions = {
  boost: { name: 5, aliases: 4, equivalents: 2.5, terms: 2, purpose: 2.5, uses: 1.6, features: 1.2, focus: 1, items: 0.6, category: 0.8 },
  fuzzy: 0.2,
  fuzzyMinLength: 5,
  maxFuzzy: 2,
  prefixMinLength: 4,
  maxVariantTerms: 4,
  maxVariantQueryWords: 10,
  unknownWeight: 3,
  fieldStrength: { name: 1, aliases: 1, equivalents: 0.9, terms: 1, purpose: 1, uses: 1, features: 0.85, focus: 0.75, items: 0.6, category: 0.8 },
  coverageExponent: 2,
  approximateCredit: 0.8,
  nameTypoDistance: (length) => (length < 4 ? 0 : length < 8 ? 1 : 2),
  prior: { service: 1, extendedService: 0.5, category: 0.35, practice: 0.6, pattern: 0.5, guide: 0.6 },
  namedTermWeight: 0.3,
  phraseBoost: { name: 2, aliases: 2, equivalents: 2, purpose: 2.5, terms: 1.5, uses: 1.5, features: 1.3, focus: 1.3 },
  wholeItemBoost: 1.5,
  rerankDepth: 30,
};
