/**
 * Every tuning knob of the search, in one place, each with the case it serves. Change a value, run
 * `npm run eval` (dev and holdout sets), and keep the change only if neither set drops.
 */
export interface SearchOptions {
  /**
   * Field boosts for BM25. Names and aliases dominate so that "dynamodb table" is about DynamoDB; purpose and
   * use cases outweigh features and focus so that "block storage for EC2" finds EBS (whose purpose it is), not
   * EC2 (which merely appears); list items of practices and guide sections stay low so that those long entries
   * don't win every question by sheer size.
   */
  boost: Record<SearchField, number>;
  /** Fuzzy distance as a fraction of a term's length ("lamda", "dyanmodb"), only for terms of at least `fuzzyMinLength`. */
  fuzzy: number;
  fuzzyMinLength: number;
  /** Prefix matching ("kube" → kubernetes) for terms of at least this length. */
  prefixMinLength: number;
  /**
   * The share of the query's weight (terms weighted by rarity) that the best entry must match for a confident
   * answer. Below it, "write me a poem" (only "write" matches, in IAM's "policy writing") gets no answer.
   */
  minCoverage: number;
  /** How strongly coverage reorders BM25 results: score × coverage^coverageExponent. */
  coverageExponent: number;
  /** A query term matched only through a fuzzy or prefix variant counts this much of its weight as matched. */
  approximateCredit: number;
  /** Largest edit distance for a whole-name typo ("cloudtrial", "rout53"), by the length of the name. */
  nameTypoDistance: (length: number) => number;
  /** At most this many "did you mean" suggestions. */
  maxSuggestions: number;
  /** Suggestions must reach this share of the query weight: a single shared filler word suggests nothing. */
  minSuggestionCoverage: number;
}

export type SearchField = 'name' | 'aliases' | 'equivalents' | 'terms' | 'purpose' | 'uses' | 'features' | 'focus' | 'items';

export const searchFields: SearchField[] = ['name', 'aliases', 'equivalents', 'terms', 'purpose', 'uses', 'features', 'focus', 'items'];

export const defaultSearchOptions: SearchOptions = {
  boost: { name: 5, aliases: 4, equivalents: 2.5, terms: 2, purpose: 2.5, uses: 1.6, features: 1.2, focus: 1, items: 0.6 },
  fuzzy: 0.2,
  fuzzyMinLength: 5,
  prefixMinLength: 4,
  minCoverage: 0.6,
  coverageExponent: 2,
  approximateCredit: 0.8,
  nameTypoDistance: (length) => (length < 4 ? 0 : length < 8 ? 1 : 2),
  maxSuggestions: 3,
  minSuggestionCoverage: 0.3,
};
