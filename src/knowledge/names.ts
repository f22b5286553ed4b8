/**
 * One normal form for names, shared by the loader (to find a name claimed twice), the search's name index (to
 * match names) and the feedback report (to group questions): lowercase, accents and punctuation gone, the vendor
 * words "Amazon"/"AWS" dropped. "Amazon SQS", "aws sqs" and "SQS" are one name; so are "route 53", "Route-53" and
 * "route53", because the key joins the words without spaces.
 */
const vendorWords = new Set(['amazon', 'aws']);

/** The words of a text or name, normalized: `route 53` and `route-53` give the same words. */
export function nameWords(s: string): string[] {
  // Decomposing and dropping accents change nothing in ASCII text, which is most of it.
  const plain = /[^\x20-\x7e\t\n\r]/.test(s) ? s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : s;
  return plain
    .toLowerCase()
    .replace(/[@/]/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0 && !vendorWords.has(w));
}

/** The key a name is known by: its words joined without spaces ("queue thing" and "queuething" are one key). */
export function nameKey(s: string): string {
  return nameKeyOf(nameWords(s));
}

/** The key of a name already split into words. */
export function nameKeyOf(words: readonly string[]): string {
  return words.join('');
}
