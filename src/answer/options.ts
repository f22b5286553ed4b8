/**
 * The answer layer's knobs: when a hit is an answer the bot can stand behind, and which near misses are worth
 * suggesting. The search's own knobs (how hits are found and ranked) are in `src/search/options.ts`.
 */
export interface AnswerOptions {
  /** Longest question looked at; a pasted log or essay is cut here, and still gets an answer from its start. */
  maxQueryLength: 500;
  /**
   * The share of the query's weight (terms weighted by rarity and by the field they match in) that the best entry
   * must match for a confident answer, by the number of content words. Short queries must be matched almost
   * whole: "write me a poem" (only "write" matches) gets no answer. Long questions carry words no entry uses
   * ("our", "nightly", "analysts"), so they need less.
   */
  minCoverage: (contentWords: number) => number;
  /** The coverage an entry the question names outright needs, as a share of `minCoverage`: "how do I use sqs for <jargon>". */
  namedCoverageFactor: number;
  /**
   * The least matched weight (sum over matched terms) for a confident answer: one common word ("what time is
   * it?" matches "real-time") is not enough, one rare word ("kubernetes") is.
   */
  minEvidence: number;
  /**
   * The share of `minEvidence` enough when a query word is a word of the entry's own name or alias: a typo that
   * stems like the name ("fargat"), the common words of a name ("manage access" in Identity and Access
   * Management). Not one very common word ("cloud" in Virtual Private Cloud).
   */
  nameEvidenceFactor: number;
  /**
   * A service the question names beats a hit ranked above it that the question doesn't name, when it matches at
   * least this share of that hit's coverage: the rest of the question must point clearly elsewhere to lose it
   * ("who deleted my ec2 instance" is CloudTrail's; "what does an eks cluster cost" is EKS's).
   */
  namedShareOfTop: number;
  /**
   * A question nothing answers confidently is about the one service it names when that service covers this share of
   * it: a little, since the rest of a real question is mostly words no entry has (an error's text, a project's
   * names), which point nowhere else ("why is lambda showing RequestEntityTooLargeException?").
   */
  minNamedCoverage: number;
  /** Longest paste searched for error codes and messages: Slack's 4,000 characters of a message. */
  maxPasteLength: number;
  /** A fact leads when one of the ways people ask for it is in the question whole and it covers this share of the question's detail words… */
  minFactPhraseCoverage: number;
  /** A rival of at least this share of a phrase match's score... */
  phraseRivalShare: number;
  /** ...that matches this much more of the question by its ways of asking keeps the phrase match from leading. */
  phraseRivalMargin: number;
  /** …or, for a long question, when it covers this share and scores `winnerMargin` times the next fact. */
  minWinnerCoverage: number;
  winnerMargin: number;
  /** …a margin that is enough when the fact also matches this share of the question counting its answer's words. */
  closeWinnerCoverage: number;
  closeWinnerMargin: number;
  /** …or, in a long question, when a way of asking for it is in it whole, it covers this share, and scores `dominantMargin` times the next. */
  minDominantCoverage: number;
  dominantMargin: number;
  /**
   * …or, in a question of at least `minDetailWords` content words that stands on its own, when it covers
   * `minDetailCoverage` of the question, at least `detailShareOfEntry` of what the best entry covers, and scores
   * `detailMargin` times the next fact.
   */
  minDetailWords: number;
  minDetailCoverage: number;
  detailShareOfEntry: number;
  detailMargin: number;
  /** A fact ranked below the entry's best match leads only when it scores at least this share of that match. */
  minLeadShareOfBest: number;
  /**
   * In a thread (a follow-up read with its subject), a fact leads only when it matches this share of the message
   * (an error string of a paste aside): thread talk shares one word with a fact ("what time is the standup?" →
   * a timeout) far more often than a follow-up asks with half its words missing.
   */
  minThreadFactCoverage: number;
  /**
   * A fact set aside as not the kind of answer asked for stands in the way of the best fit one only when its ways of
   * asking match within this share of the question of the fit one's.
   */
  setAsideAskMargin: number;
  /** A follow-up about the subject whose fact matches this share of it (all of it, nearly)... */
  fullCoverage: number;
  /** ...leads when it scores this many times the next. */
  subjectWinnerMargin: number;
  /** A follow-up of fewer content words than this leads with a fact of the subject only by its ways of asking. */
  minLooseFollowUpWords: number;
  /** Two tied facts lead together only in a question of this many content words: a shorter one asks for the card. */
  minTiedPairWords: number;
  /** A fact that decides the entry by itself comes from one of this many of the search's best entries. */
  maxFactEntries: number;
  /** A fact that decides the entry by itself (no entry stood out) needs a whole phrase and this share. */
  minFactCoverageAlone: number;
  /** At most this many "did you mean" suggestions. */
  maxSuggestions: number;
  /** Suggestions must reach this share of the query weight: a single shared filler word suggests nothing. */
  minSuggestionCoverage: number;
}

export const defaultAnswerOptions: AnswerOptions = {
  maxQueryLength: 500,
  minCoverage: (n) => (n <= 1 ? 0.75 : n === 2 ? 0.6 : n === 3 ? 0.45 : 0.35),
  namedCoverageFactor: 0.6,
  minEvidence: 3,
  nameEvidenceFactor: 0.6,
  namedShareOfTop: 0.75,
  minNamedCoverage: 0.05,
  maxPasteLength: 4000,
  minFactPhraseCoverage: 0.5,
  phraseRivalShare: 0.5,
  phraseRivalMargin: 0.1,
  minWinnerCoverage: 0.4,
  winnerMargin: 4,
  closeWinnerCoverage: 0.5,
  closeWinnerMargin: 2,
  minDominantCoverage: 0.12,
  dominantMargin: 8,
  minDetailWords: 6,
  minDetailCoverage: 0.3,
  detailShareOfEntry: 0.8,
  detailMargin: 2.5,
  minLeadShareOfBest: 0.3,
  minThreadFactCoverage: 0.5,
  setAsideAskMargin: 0.2,
  fullCoverage: 0.9,
  minLooseFollowUpWords: 3,
  subjectWinnerMargin: 1.5,
  minTiedPairWords: 4,
  maxFactEntries: 20,
  minFactCoverageAlone: 0.6,
  maxSuggestions: 3,
  minSuggestionCoverage: 0.3,
};
